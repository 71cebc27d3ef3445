//! Labels of the readable outputs (district reports, the HTML map) in Russian (the default),
//! Kazakh and English: akimats review in Russian or Kazakh.

use std::fmt;
use std::str::FromStr;

/// Language of the labels.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub enum Lang {
    #[default]
    Ru,
    Kk,
    En,
}

impl Lang {
    pub fn code(self) -> &'static str {
        match self {
            Lang::Ru => "ru",
            Lang::Kk => "kk",
            Lang::En => "en",
        }
    }

    pub fn labels(self) -> &'static Labels {
        match self {
            Lang::Ru => &RU,
            Lang::Kk => &KK,
            Lang::En => &EN,
        }
    }

    /// A district's name in this language (Kazakh or Russian names fall back to English).
    pub fn district_name(self, d: &fiberplan_model::District) -> String {
        let n = match self {
            Lang::Ru => &d.name_ru,
            Lang::Kk => &d.name_kk,
            Lang::En => &d.name_en,
        };
        if n.is_empty() {
            d.name_en.clone()
        } else {
            n.clone()
        }
    }

    /// A village's name in this language: its own name in the language, else its name as
    /// given, else "unnamed" in the language (never its id, which has a column of its own).
    pub fn village_name(self, v: &fiberplan_model::Village) -> String {
        let n = match self {
            Lang::Kk if !v.name_kk.is_empty() => &v.name_kk,
            Lang::Ru if !v.name_ru.is_empty() => &v.name_ru,
            _ => &v.name,
        };
        match (n.is_empty(), v.kato.is_empty()) {
            (false, _) => n.clone(),
            (true, true) => self.labels().unnamed.to_string(),
            (true, false) => {
                let kato = if self == Lang::En { "KATO" } else { "КАТО" };
                format!("{} ({kato} {})", self.labels().unnamed, v.kato)
            }
        }
    }

    /// The district's oblast in this language (English when the data have no such name).
    pub fn oblast_name(self, d: &fiberplan_model::District) -> String {
        let n = match self {
            Lang::Ru => &d.oblast_ru,
            Lang::Kk => &d.oblast_kk,
            Lang::En => &d.oblast_en,
        };
        if n.is_empty() {
            d.oblast_en.clone()
        } else {
            n.clone()
        }
    }
}

impl FromStr for Lang {
    type Err = String;
    fn from_str(s: &str) -> Result<Self, String> {
        match s {
            "ru" => Ok(Lang::Ru),
            "kk" => Ok(Lang::Kk),
            "en" => Ok(Lang::En),
            _ => Err(format!("unknown language {s:?}: use ru, kk or en")),
        }
    }
}

impl fmt::Display for Lang {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.code())
    }
}

/// Every label the readable outputs use.
pub struct Labels {
    pub title: &'static str,
    pub district: &'static str,
    pub oblast: &'static str,
    pub summary: &'static str,
    pub by_phase_tech: &'static str,
    pub phase: &'static str,
    pub unphased: &'static str,
    pub technology: &'static str,
    pub villages: &'static str,
    pub village: &'static str,
    pub name: &'static str,
    pub households: &'static str,
    pub population: &'static str,
    pub cost_kzt: &'static str,
    pub bill: &'static str,
    pub corridor_type: &'static str,
    pub km: &'static str,
    pub bridges: &'static str,
    pub tunnels: &'static str,
    pub railway_crossings: &'static str,
    pub connected_villages: &'static str,
    pub connected_households: &'static str,
    pub cost_corridors: &'static str,
    pub cost_villages: &'static str,
    pub total: &'static str,
    pub new_fibre_km: &'static str,
    /// `chart.svg`: its title, panel titles and units.
    pub chart_title: &'static str,
    pub chart_by_oblast: &'static str,
    pub chart_by_technology: &'static str,
    pub chart_by_year: &'static str,
    pub chart_cost_bn: &'static str,
    pub chart_households: &'static str,
    pub outside_oblasts: &'static str,
    /// A village without a name.
    pub unnamed: &'static str,
    /// The rural okrug column of the village list.
    pub rural_okrug: &'static str,
    pub route_sections: &'static str,
    pub map: &'static str,
    pub legend: &'static str,
    pub pops: &'static str,
    pub new_routes: &'static str,
    pub boundaries: &'static str,
    pub all_districts: &'static str,
    pub village_list: &'static str,
    pub unreachable: &'static str,
    /// Why a village is not on fibre: its column heading.
    pub reason: &'static str,
    /// The unit of the reason's figures.
    pub per_household: &'static str,
    pub length_note: &'static str,
    pub proxy_note: &'static str,
    /// Column of the village's id in its input (an OSM node id for the bundled data).
    pub village_id: &'static str,
    /// "Existing network from FILE" for a user's backbone file.
    pub backbone_from: &'static str,
    /// Titles of one feature in plan.geojson: a new route, a point of presence.
    pub route_one: &'static str,
    pub pop_one: &'static str,
    /// Under reports whose villages include some the existing-fibre proxy assumes served.
    pub fibre_proxy_note: &'static str,
    /// Mark next to an estimated figure (an imputed population and its households).
    pub estimate: &'static str,
    /// What the mark means, under every table that shows it.
    pub estimate_note: &'static str,
    /// Under reports of a scenario whose prices are scaled: the scales follow.
    pub price_scales: &'static str,
    pub scale_corridor: &'static str,
    pub scale_fwa: &'static str,
    pub scale_satellite: &'static str,
    pub scale_last_mile: &'static str,
    pub quantity: &'static str,
    pub tech_fibre: &'static str,
    pub tech_fwa: &'static str,
    pub tech_satellite: &'static str,
    pub tech_none: &'static str,
    /// Sources and licences under every report and map ("(c) OpenStreetMap contributors"
    /// is kept as OSM asks).
    pub attribution: &'static str,
    /// A village that has fibre already (no new route).
    pub tech_existing: &'static str,
    pub national_report: &'static str,
    pub quality: &'static str,
    pub proven_optimal: &'static str,
    /// `{gap}` stands for the certified gap in per cent.
    pub at_most_above: &'static str,
    pub no_bound: &'static str,
    /// Why it counts as having fibre: the villages file, the `--has-fibre` list, the proxy.
    pub basis_input: &'static str,
    pub basis_list: &'static str,
    pub basis_district_centre: &'static str,
    pub basis_near_town: &'static str,
    pub kind_proxy: &'static str,
    pub kind_road: &'static str,
    pub kind_power_line: &'static str,
    pub kind_railway: &'static str,
    pub kind_offroad: &'static str,
    pub existing_lines: &'static str,
    pub yes: &'static str,
}

impl Labels {
    /// Label of a technology (`fibre`, `fwa`, `satellite`, `existing_fibre`, `none`).
    pub fn technology_name(&self, t: &str) -> &'static str {
        match t {
            "fibre" => self.tech_fibre,
            "fwa" => self.tech_fwa,
            "satellite" => self.tech_satellite,
            "existing_fibre" => self.tech_existing,
            _ => self.tech_none,
        }
    }

    /// Why a village counts as having fibre.
    pub fn existing_basis(&self, b: fiberplan_model::ExistingFibre) -> &'static str {
        use fiberplan_model::ExistingFibre as E;
        match b {
            E::Input => self.basis_input,
            E::List => self.basis_list,
            E::ProxyDistrictCentre => self.basis_district_centre,
            E::ProxyNearTown => self.basis_near_town,
        }
    }

    /// Label of a corridor type (`proxy`, `road:primary`, ...): the kind, then the road class.
    pub fn corridor_type_name(&self, t: &str) -> String {
        let (kind, class) = t.split_once(':').unwrap_or((t, ""));
        let k = match kind {
            "proxy" => self.kind_proxy,
            "road" => self.kind_road,
            "power_line" => self.kind_power_line,
            "railway" => self.kind_railway,
            "offroad" => self.kind_offroad,
            other => return other.to_string(),
        };
        if class.is_empty() {
            k.to_string()
        } else {
            format!("{k} ({class})")
        }
    }
}

pub static RU: Labels = Labels {
    title: "План подключения сёл к широкополосному доступу",
    district: "Район",
    oblast: "Область",
    summary: "Сводка",
    by_phase_tech: "Населённые пункты по этапам и технологиям",
    phase: "Этап",
    unphased: "Без этапа",
    technology: "Технология",
    villages: "Населённые пункты",
    village: "Населённый пункт",
    name: "Название",
    households: "Домохозяйства",
    population: "Население",
    cost_kzt: "Стоимость, тенге",
    bill: "Ведомость объёмов работ",
    corridor_type: "Тип трассы",
    km: "км",
    bridges: "Мосты",
    tunnels: "Тоннели",
    railway_crossings: "Пересечения с железной дорогой",
    connected_villages: "Подключаемые населённые пункты",
    connected_households: "Подключаемые домохозяйства",
    cost_corridors: "Строительство линий связи",
    cost_villages: "Оборудование сёл и подключение домохозяйств",
    total: "Итого",
    new_fibre_km: "Новые ВОЛС, км",
    chart_title: "План: стоимость и подключённые домохозяйства",
    chart_by_oblast: "По областям",
    chart_by_technology: "По технологиям",
    chart_by_year: "По годам",
    chart_cost_bn: "Стоимость, млрд ₸",
    chart_households: "Домохозяйства",
    outside_oblasts: "вне областей",
    unnamed: "без названия",
    rural_okrug: "Сельский округ",
    route_sections: "Участки трасс",
    map: "Карта",
    legend: "Условные обозначения",
    pops: "Точки присутствия (существующая сеть)",
    new_routes: "Новые трассы ВОЛС",
    boundaries: "Границы районов",
    all_districts: "Все районы",
    village_list: "Список населённых пунктов",
    unreachable: "недоступен от сети",
    reason: "Обоснование",
    per_household: "₸ на домохозяйство",
    length_note: "Длины геодезические (для оценочных прямых трасс — с коэффициентом извилистости), стоимость в целых тенге.",
    proxy_note: "Существующая сеть — заявленная замена: города, посёлки и ж/д станции как точки присутствия.",
    fibre_proxy_note: "Наличие оптоволокна — допущение: районные центры (по коду КАТО) и населённые пункты рядом с городами и посёлками считаются уже подключёнными; новых трасс к ним нет.",
    route_one: "Новая трасса ВОЛС",
    pop_one: "Точка присутствия",
    backbone_from: "Существующая сеть из файла",
    village_id: "Идентификатор",
    estimate: "оценка",
    estimate_note: "«оценка»: численность населения в данных не указана и оценена по типу населённого пункта; число домохозяйств получено из неё.",
    price_scales: "Цены этого сценария отличаются от модели затрат (×1 — цена модели):",
    scale_corridor: "трассы",
    scale_fwa: "фиксированный беспроводной доступ",
    scale_satellite: "спутник",
    scale_last_mile: "последняя миля",
    quantity: "Количество",
    tech_fibre: "Оптоволокно",
    tech_fwa: "Фиксированный беспроводной доступ",
    tech_satellite: "Спутник",
    tech_none: "Не подключается",
    attribution: "Населённые пункты, ж/д станции и дороги: (c) OpenStreetMap contributors (участники OpenStreetMap), ODbL 1.0; границы районов и областей: geokz (arodionoff/geokz), CC BY 4.0",
    tech_existing: "Оптоволокно уже есть",
    national_report: "Сводка по стране",
    quality: "Качество решения",
    proven_optimal: "доказано оптимально",
    at_most_above: "не более чем на {gap} % дороже наилучшего возможного плана (доказанная нижняя граница)",
    no_bound: "нижняя граница не вычислена",
    basis_input: "по данным файла населённых пунктов",
    basis_list: "по списку населённых пунктов с оптоволокном",
    basis_district_centre: "районный центр (допущение)",
    basis_near_town: "рядом с городом или посёлком (допущение)",
    kind_proxy: "Прямая трасса (оценка)",
    kind_road: "Вдоль дороги",
    kind_power_line: "По опорам ЛЭП",
    kind_railway: "Вдоль железной дороги",
    kind_offroad: "Вне дорог",
    existing_lines: "Существующие линии ВОЛС",
    yes: "да",
};

pub static KK: Labels = Labels {
    title: "Ауылдарды кеңжолақты қолжетімділікке қосу жоспары",
    district: "Аудан",
    oblast: "Облыс",
    summary: "Қорытынды",
    by_phase_tech: "Елді мекендер кезеңдер мен технологиялар бойынша",
    phase: "Кезең",
    unphased: "Кезеңсіз",
    technology: "Технология",
    villages: "Елді мекендер",
    village: "Елді мекен",
    name: "Атауы",
    households: "Үй шаруашылықтары",
    population: "Халық саны",
    cost_kzt: "Құны, теңге",
    bill: "Жұмыс көлемдерінің ведомосы",
    corridor_type: "Трасса түрі",
    km: "км",
    bridges: "Көпірлер",
    tunnels: "Туннельдер",
    railway_crossings: "Темір жолмен қиылысулар",
    connected_villages: "Қосылатын елді мекендер",
    connected_households: "Қосылатын үй шаруашылықтары",
    cost_corridors: "Байланыс желілерінің құрылысы",
    cost_villages: "Ауыл жабдығы және үй шаруашылықтарын қосу",
    total: "Барлығы",
    new_fibre_km: "Жаңа ТОБЖ, км",
    chart_title: "Жоспар: құны және қосылған үй шаруашылықтары",
    chart_by_oblast: "Облыстар бойынша",
    chart_by_technology: "Технологиялар бойынша",
    chart_by_year: "Жылдар бойынша",
    chart_cost_bn: "Құны, млрд ₸",
    chart_households: "Үй шаруашылықтары",
    outside_oblasts: "облыстардан тыс",
    unnamed: "атауы жоқ",
    rural_okrug: "Ауылдық округ",
    route_sections: "Трасса учаскелері",
    map: "Карта",
    legend: "Шартты белгілер",
    pops: "Желіге қосылу нүктелері (қолданыстағы желі)",
    new_routes: "Жаңа ТОБЖ трассалары",
    boundaries: "Аудан шекаралары",
    all_districts: "Барлық аудандар",
    village_list: "Елді мекендер тізімі",
    unreachable: "желіден қолжетімсіз",
    reason: "Негіздеме",
    per_household: "₸ бір үй шаруашылығына",
    length_note: "Ұзындықтар геодезиялық (бағалау түзу трассалары үшін — бұралаңдық коэффициентімен), құны бүтін теңгемен.",
    proxy_note: "Қолданыстағы желі шартты түрде алынған: қалалар, кенттер және т/ж станциялары желіге қосылу нүктелері ретінде алынды.",
    fibre_proxy_note: "Оптикалық талшықтың болуы — болжам: аудан орталықтары (КАТО коды бойынша) және қалалар мен кенттерге жақын елді мекендер қосылған деп есептеледі; оларға жаңа трасса салынбайды.",
    route_one: "Жаңа ТОБЖ трассасы",
    pop_one: "Желіге қосылу нүктесі",
    backbone_from: "Қолданыстағы желі файлдан алынды:",
    village_id: "Сәйкестендіргіш",
    estimate: "бағалау",
    estimate_note: "«бағалау»: халық саны деректерде көрсетілмеген және елді мекен түрі бойынша бағаланған; үй шаруашылықтарының саны содан алынған.",
    price_scales: "Осы сценарийдің бағалары шығын моделінен өзгеше (×1 — модель бағасы):",
    scale_corridor: "трассалар",
    scale_fwa: "тұрақты сымсыз қолжетімділік",
    scale_satellite: "спутник",
    scale_last_mile: "соңғы миля",
    quantity: "Саны",
    tech_fibre: "Оптикалық талшық",
    tech_fwa: "Тұрақты сымсыз қолжетімділік",
    tech_satellite: "Спутник",
    tech_none: "Қосылмайды",
    attribution: "Елді мекендер, т/ж станциялары және жолдар: (c) OpenStreetMap contributors (OpenStreetMap қатысушылары), ODbL 1.0; аудандар мен облыстардың шекаралары: geokz (arodionoff/geokz), CC BY 4.0",
    tech_existing: "Оптикалық талшық бар",
    national_report: "Ел бойынша жиынтық",
    quality: "Шешім сапасы",
    proven_optimal: "оңтайлылығы дәлелденген",
    at_most_above: "ең жақсы мүмкін жоспардан ең көбі {gap} % қымбат (дәлелденген төменгі шек)",
    no_bound: "төменгі шек есептелмеген",
    basis_input: "елді мекендер файлының деректері бойынша",
    basis_list: "оптикалық талшығы бар елді мекендер тізімі бойынша",
    basis_district_centre: "аудан орталығы (болжам)",
    basis_near_town: "қалаға немесе кентке жақын (болжам)",
    kind_proxy: "Түзу трасса (бағалау)",
    kind_road: "Жол бойымен",
    kind_power_line: "ЭБЖ тіректерімен",
    kind_railway: "Темір жол бойымен",
    kind_offroad: "Жолсыз",
    existing_lines: "Қолданыстағы ТОБЖ желілері",
    yes: "иә",
};

pub static EN: Labels = Labels {
    title: "Rural broadband rollout plan",
    district: "District",
    oblast: "Region",
    summary: "Summary",
    by_phase_tech: "Villages by phase and technology",
    phase: "Phase",
    unphased: "Not phased",
    technology: "Technology",
    villages: "Villages",
    village: "Village",
    name: "Name",
    households: "Households",
    population: "Population",
    cost_kzt: "Cost, KZT",
    bill: "Bill of quantities",
    corridor_type: "Corridor type",
    km: "km",
    bridges: "Bridges",
    tunnels: "Tunnels",
    railway_crossings: "Railway crossings",
    connected_villages: "Connected villages",
    connected_households: "Connected households",
    cost_corridors: "Fibre construction",
    cost_villages: "Village equipment and household connections",
    total: "Total",
    new_fibre_km: "New fibre, km",
    chart_title: "Plan: cost and households connected",
    chart_by_oblast: "By oblast",
    chart_by_technology: "By technology",
    chart_by_year: "By year",
    chart_cost_bn: "Cost, bn KZT",
    chart_households: "Households",
    outside_oblasts: "outside the oblasts",
    unnamed: "unnamed",
    rural_okrug: "Rural okrug",
    route_sections: "Route sections",
    map: "Map",
    legend: "Legend",
    pops: "Points of presence (existing network)",
    new_routes: "New fibre routes",
    boundaries: "District boundaries",
    all_districts: "All districts",
    village_list: "Villages",
    unreachable: "unreachable from the network",
    reason: "Reason",
    per_household: "KZT per household",
    length_note: "Lengths are geodesic (straight-line proxy corridors include the circuity factor); costs in whole tenge.",
    proxy_note: "The existing network is a declared proxy: cities, towns and railway stations as points of presence.",
    fibre_proxy_note: "Existing fibre is assumed: district centres (by KATO code) and villages near cities and towns count as connected already; no new route goes to them.",
    route_one: "New fibre route",
    pop_one: "Point of presence",
    backbone_from: "Existing network from",
    village_id: "id",
    estimate: "estimate",
    estimate_note: "\"estimate\": the data give no population; it is estimated from the kind of settlement, and the households from it.",
    price_scales: "This scenario's prices differ from the cost model's (x1 is the model's price):",
    scale_corridor: "corridors",
    scale_fwa: "fixed wireless",
    scale_satellite: "satellite",
    scale_last_mile: "last mile",
    quantity: "Quantity",
    tech_fibre: "Fibre",
    tech_fwa: "Fixed wireless",
    tech_satellite: "Satellite",
    tech_none: "Not connected",
    attribution: "Settlements, railway stations and roads: (c) OpenStreetMap contributors, ODbL 1.0; district and oblast boundaries: geokz (arodionoff/geokz), CC BY 4.0",
    tech_existing: "Has fibre already",
    national_report: "National summary",
    quality: "Solution quality",
    proven_optimal: "proven optimal",
    at_most_above: "at most {gap} % above the best possible plan (proven lower bound)",
    no_bound: "no lower bound computed",
    basis_input: "as the villages file says",
    basis_list: "on the list of villages with fibre",
    basis_district_centre: "district centre (assumed)",
    basis_near_town: "near a city or town (assumed)",
    kind_proxy: "Straight-line proxy",
    kind_road: "Along road",
    kind_power_line: "On power line",
    kind_railway: "Along railway",
    kind_offroad: "Off-road",
    existing_lines: "Existing fibre lines",
    yes: "yes",
};

/// Labels of the last mile's part of a district report: the per-village bill of quantities
/// and the access map.
pub struct LastMileLabels {
    pub title: &'static str,
    /// Under the title: `{take_up}` stands for the take-up in per cent.
    pub intro: &'static str,
    pub olt_site: &'static str,
    pub site_pop: &'static str,
    pub site_village: &'static str,
    pub site_remote: &'static str,
    pub reason: &'static str,
    pub splitters: &'static str,
    pub feeder_km: &'static str,
    pub distribution_km: &'static str,
    pub drop_km: &'static str,
    pub onts: &'static str,
    pub worst_margin_db: &'static str,
    pub lines_flagged: &'static str,
    pub premises_mapped: &'static str,
    pub premises_modelled: &'static str,
    pub map: &'static str,
    pub streets: &'static str,
    pub feeder: &'static str,
    pub distribution: &'static str,
    pub splitter: &'static str,
    pub premise_mapped: &'static str,
    pub premise_modelled: &'static str,
    pub not_connected: &'static str,
    pub modelled_note: &'static str,
    pub osm_attribution: &'static str,
}

impl Lang {
    /// The last mile's labels in this language.
    pub fn last_mile_labels(self) -> &'static LastMileLabels {
        match self {
            Lang::Ru => &LM_RU,
            Lang::Kk => &LM_KK,
            Lang::En => &LM_EN,
        }
    }
}

impl LastMileLabels {
    /// Label of an OLT site kind (`pop`, `village`, `remote`).
    pub fn site_name(&self, site: &str) -> &'static str {
        match site {
            "pop" => self.site_pop,
            "village" => self.site_village,
            _ => self.site_remote,
        }
    }
}

pub static LM_RU: LastMileLabels = LastMileLabels {
    title: "Последняя миля: ведомость объёмов по населённым пунктам",
    intro: "Сеть доступа GPON каждого населённого пункта с оптикой, рассчитанная при уровне подключения {take_up} % домохозяйств.",
    olt_site: "Размещение OLT",
    site_pop: "точка присутствия",
    site_village: "в населённом пункте",
    site_remote: "выносной",
    reason: "Обоснование",
    splitters: "Сплиттеры по коэффициенту деления",
    feeder_km: "Магистральный кабель, км",
    distribution_km: "Распределительный кабель, км",
    drop_km: "Абонентский кабель (дроп), км",
    onts: "Терминалы ONT",
    worst_margin_db: "Наименьший оптический запас, дБ",
    lines_flagged: "Линии с отметкой",
    premises_mapped: "Объекты по карте (OSM)",
    premises_modelled: "Объекты смоделированы",
    map: "Схема сети доступа",
    streets: "улицы",
    feeder: "магистральный кабель",
    distribution: "распределительный кабель",
    splitter: "сплиттер",
    premise_mapped: "объект (здание OSM)",
    premise_modelled: "объект смоделирован (модель застройки)",
    not_connected: "не подключён",
    modelled_note: "Смоделированные объекты (нет зданий на карте) размещены по заявленной модели застройки вдоль улиц: это оценка, а не съёмка.",
    osm_attribution: "(c) OpenStreetMap contributors (участники OpenStreetMap), ODbL 1.0",
};

pub static LM_KK: LastMileLabels = LastMileLabels {
    title: "Соңғы миля: елді мекендер бойынша көлемдер ведомосі",
    intro: "Оптикасы бар әр елді мекеннің GPON қол жеткізу желісі үй шаруашылықтарының {take_up} % қосылу деңгейінде есептелген.",
    olt_site: "OLT орны",
    site_pop: "қатысу нүктесі",
    site_village: "елді мекенде",
    site_remote: "қашықтағы",
    reason: "Негіздеме",
    splitters: "Бөлу коэффициенті бойынша сплиттерлер",
    feeder_km: "Магистральдық кабель, км",
    distribution_km: "Тарату кабелі, км",
    drop_km: "Абоненттік кабель (дроп), км",
    onts: "ONT терминалдары",
    worst_margin_db: "Ең аз оптикалық қор, дБ",
    lines_flagged: "Белгіленген желілер",
    premises_mapped: "Картадағы нысандар (OSM)",
    premises_modelled: "Модельденген нысандар",
    map: "Қол жеткізу желісінің сызбасы",
    streets: "көшелер",
    feeder: "магистральдық кабель",
    distribution: "тарату кабелі",
    splitter: "сплиттер",
    premise_mapped: "нысан (OSM ғимараты)",
    premise_modelled: "нысан модельденген (құрылыс моделі)",
    not_connected: "қосылмаған",
    modelled_note: "Модельденген нысандар (картада ғимарат жоқ) көшелер бойымен мәлімделген құрылыс моделі бойынша орналастырылған: бұл бағалау, түсірілім емес.",
    osm_attribution: "(c) OpenStreetMap contributors (OpenStreetMap қатысушылары), ODbL 1.0",
};

pub static LM_EN: LastMileLabels = LastMileLabels {
    title: "Last mile: bill of quantities by village",
    intro: "The GPON access network of every fibre village, designed at a take-up of {take_up} % of households.",
    olt_site: "OLT site",
    site_pop: "point of presence",
    site_village: "in the village",
    site_remote: "remote",
    reason: "Reason",
    splitters: "Splitters by ratio",
    feeder_km: "Feeder cable, km",
    distribution_km: "Distribution cable, km",
    drop_km: "Drop cable, km",
    onts: "ONTs",
    worst_margin_db: "Worst optical margin, dB",
    lines_flagged: "Lines flagged",
    premises_mapped: "Premises mapped (OSM)",
    premises_modelled: "Premises modelled",
    map: "Access network map",
    streets: "streets",
    feeder: "feeder cable",
    distribution: "distribution cable",
    splitter: "splitter",
    premise_mapped: "premise (OSM building)",
    premise_modelled: "premise, modelled (layout model)",
    not_connected: "not connected",
    modelled_note: "Modelled premises (no buildings mapped) are placed by the declared layout model along the streets: estimates, not a survey.",
    osm_attribution: "(c) OpenStreetMap contributors, ODbL 1.0",
};

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parses_the_three_codes_and_rejects_others() {
        assert_eq!("ru".parse::<Lang>(), Ok(Lang::Ru));
        assert_eq!("kk".parse::<Lang>(), Ok(Lang::Kk));
        assert_eq!("en".parse::<Lang>(), Ok(Lang::En));
        assert!("kz".parse::<Lang>().unwrap_err().contains("ru, kk or en"));
        assert_eq!(Lang::default(), Lang::Ru);
    }

    #[test]
    fn a_nameless_village_is_unnamed_in_its_language_never_its_id() {
        let mut v = fiberplan_model::Village {
            id: "2820274280".into(),
            lonlat: [60.0, 47.0],
            place: "hamlet".into(),
            population: 45,
            households: 13,
            population_imputed: true,
            ..fiberplan_model::Village::default()
        };
        assert_eq!(Lang::Ru.village_name(&v), "без названия");
        assert_eq!(Lang::Kk.village_name(&v), "атауы жоқ");
        assert_eq!(Lang::En.village_name(&v), "unnamed");
        v.kato = "156437100".into();
        assert_eq!(Lang::Ru.village_name(&v), "без названия (КАТО 156437100)");
        v.name = "Кокжиде".into();
        v.name_kk = "Көкжиде".into();
        assert_eq!(Lang::Ru.village_name(&v), "Кокжиде");
        assert_eq!(Lang::Kk.village_name(&v), "Көкжиде");
    }

    #[test]
    fn corridor_types_read_in_each_language() {
        assert_eq!(
            RU.corridor_type_name("road:primary"),
            "Вдоль дороги (primary)"
        );
        assert_eq!(KK.corridor_type_name("proxy"), "Түзу трасса (бағалау)");
        assert_eq!(EN.technology_name("fwa"), "Fixed wireless");
    }
}
