//! fiberplan-plan
