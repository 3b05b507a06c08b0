//! NPCI code lists the models and the deeplink grammar share, written once (Juspay's tables in
//! `shared/DOMAIN.md`): a registerIntent `mode`/`purpose` and a deeplink's `mode`/`purpose`
//! take the same codes.

/// Initiation mode codes (`mode`).
pub const MODES: &[&str] = &[
    "00", "01", "02", "03", "04", "05", "06", "07", "08", "09", "10", "11", "12", "13", "14", "15", "16", "17", "18",
    "19", "20", "21", "22", "23", "24",
];

/// Purpose codes (`purpose`).
pub const PURPOSES: &[&str] = &[
    "00", "01", "02", "03", "04", "05", "06", "07", "08", "09", "10", "11", "12", "13", "14", "15", "20", "25", "41",
    "42", "43", "44", "45", "46", "50", "59", "60", "61", "62", "63", "64", "65", "66", "71", "76",
];
