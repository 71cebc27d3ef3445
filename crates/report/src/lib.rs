//! fiberplan-report
