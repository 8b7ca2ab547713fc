//! Service modules and permission levels. Workspace modules are governed by workspace roles,
//! global modules by tenant roles (seed 003).

use std::fmt;

use serde::{Deserialize, Serialize};

use super::error::{DomainError, DomainResult};

/// A permission level on one module, ordered from none to full.
#[derive(
    Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize, Default,
)]
pub enum Level {
    #[default]
    Unauthorized,
    ReadOnly,
    ReadWrite,
}

impl Level {
    pub const ALL: [Level; 3] = [Level::Unauthorized, Level::ReadOnly, Level::ReadWrite];

    pub fn slug(self) -> &'static str {
        match self {
            Level::Unauthorized => "none",
            Level::ReadOnly => "read",
            Level::ReadWrite => "write",
        }
    }

    pub fn title(self) -> &'static str {
        match self {
            Level::Unauthorized => "Unauthorized",
            Level::ReadOnly => "ReadOnly",
            Level::ReadWrite => "ReadWrite",
        }
    }

    pub fn parse(field: &str, value: &str) -> DomainResult<Level> {
        match value.to_ascii_lowercase().as_str() {
            "none" | "unauthorized" => Ok(Level::Unauthorized),
            "read" | "readonly" | "read-only" => Ok(Level::ReadOnly),
            "write" | "readwrite" | "read-write" => Ok(Level::ReadWrite),
            _ => Err(DomainError::invalid(
                field,
                format!("level must be none, read or write (got {value:?})"),
            )),
        }
    }
}

impl fmt::Display for Level {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.title())
    }
}

macro_rules! module_enum {
    ($(#[$m:meta])* $name:ident, $count:literal, { $($v:ident => $slug:literal, $title:literal;)* }) => {
        $(#[$m])*
        #[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
        pub enum $name { $($v),* }

        impl $name {
            pub const ALL: [$name; $count] = [$($name::$v),*];

            pub fn slug(self) -> &'static str {
                match self { $($name::$v => $slug),* }
            }

            pub fn title(self) -> &'static str {
                match self { $($name::$v => $title),* }
            }

            pub fn index(self) -> usize {
                self as usize
            }

            pub fn parse(field: &str, value: &str) -> DomainResult<$name> {
                Self::ALL
                    .into_iter()
                    .find(|m| m.slug().eq_ignore_ascii_case(value))
                    .ok_or_else(|| {
                        let slugs: Vec<&str> = Self::ALL.iter().map(|m| m.slug()).collect();
                        DomainError::invalid(
                            field,
                            format!("unknown module {value:?} (one of {})", slugs.join(", ")),
                        )
                    })
            }
        }

        impl fmt::Display for $name {
            fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                f.write_str(self.title())
            }
        }
    };
}

module_enum!(
    /// Workspace-level modules (DESIGN §3).
    Module, 11, {
        DataStudio => "data-studio", "Data Studio";
        DataIntegration => "data-integration", "Data Integration";
        OperationCenter => "operation-center", "Operation Center";
        Deployment => "deployment", "Deployment";
        DataService => "data-service", "Data Service";
        DataAnalysis => "data-analysis", "Data Analysis";
        DataQuality => "data-quality", "Data Quality";
        DataModeling => "data-modeling", "Data Modeling";
        DataGovernance => "data-governance", "Data Governance";
        SecurityGuard => "security-guard", "Data Security Guard";
        Management => "management", "Workspace Management";
    }
);

module_enum!(
    /// Tenant-level (global) modules, governed by tenant roles.
    GlobalModule, 7, {
        DataMap => "data-map", "Data Map";
        DataGovernance => "data-governance", "Data Governance";
        SecurityGuard => "security-guard", "Data Security Guard";
        SecurityCenter => "security-center", "Security Center";
        ApprovalCenter => "approval-center", "Approval Center";
        DataAnalysis => "data-analysis", "Data Analysis";
        ManagementCenter => "management-center", "Management Center";
    }
);

/// One level per module. Unions take the higher level per module, so adding a role never
/// removes a permission.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub struct Levels<const N: usize>(#[serde(with = "levels_serde")] pub [Level; N]);

pub type ModuleLevels = Levels<11>;
pub type GlobalLevels = Levels<7>;

impl<const N: usize> Default for Levels<N> {
    fn default() -> Self {
        Levels([Level::Unauthorized; N])
    }
}

impl<const N: usize> Levels<N> {
    pub const fn all(level: Level) -> Self {
        Levels([level; N])
    }

    pub fn get(&self, index: usize) -> Level {
        self.0[index]
    }

    pub fn set(&mut self, index: usize, level: Level) {
        self.0[index] = level;
    }

    pub fn union(&self, other: &Self) -> Self {
        let mut out = *self;
        for (a, b) in out.0.iter_mut().zip(other.0) {
            *a = (*a).max(b);
        }
        out
    }
}

impl ModuleLevels {
    pub fn of(&self, m: Module) -> Level {
        self.get(m.index())
    }

    pub fn with(mut self, m: Module, level: Level) -> Self {
        self.set(m.index(), level);
        self
    }

    /// Parses `MODULE=none|read|write` assignments (the CLI's `--perm`) over all-Unauthorized.
    pub fn parse_perms<S: AsRef<str>>(perms: &[S]) -> DomainResult<Self> {
        let mut levels = Self::default();
        for p in perms {
            let p = p.as_ref();
            let Some((m, l)) = p.split_once('=') else {
                return Err(DomainError::invalid(
                    "perm",
                    format!("must be MODULE=none|read|write (got {p:?})"),
                ));
            };
            levels.set(
                Module::parse("perm", m.trim())?.index(),
                Level::parse("perm", l.trim())?,
            );
        }
        Ok(levels)
    }
}

impl GlobalLevels {
    pub fn of(&self, m: GlobalModule) -> Level {
        self.get(m.index())
    }

    pub fn with(mut self, m: GlobalModule, level: Level) -> Self {
        self.set(m.index(), level);
        self
    }
}

/// Levels serialize as a plain array in module order, of any length N.
mod levels_serde {
    use super::Level;
    use serde::{Deserialize, Deserializer, Serializer, ser::SerializeSeq};

    pub fn serialize<S: Serializer, const N: usize>(
        v: &[Level; N],
        s: S,
    ) -> Result<S::Ok, S::Error> {
        let mut seq = s.serialize_seq(Some(N))?;
        for l in v {
            seq.serialize_element(l)?;
        }
        seq.end()
    }

    pub fn deserialize<'de, D: Deserializer<'de>, const N: usize>(
        d: D,
    ) -> Result<[Level; N], D::Error> {
        let v: Vec<Level> = Vec::deserialize(d)?;
        v.try_into().map_err(|v: Vec<Level>| {
            serde::de::Error::invalid_length(v.len(), &"one level per module")
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parse_and_union() {
        let a = ModuleLevels::parse_perms(&["data-studio=write", "deployment=read"]).unwrap();
        assert_eq!(a.of(Module::DataStudio), Level::ReadWrite);
        assert_eq!(a.of(Module::Deployment), Level::ReadOnly);
        assert_eq!(a.of(Module::Management), Level::Unauthorized);
        let b = ModuleLevels::default().with(Module::Deployment, Level::ReadWrite);
        let u = a.union(&b);
        assert_eq!(u.of(Module::Deployment), Level::ReadWrite);
        assert_eq!(u.of(Module::DataStudio), Level::ReadWrite);
        let e = ModuleLevels::parse_perms(&["studio=write"])
            .unwrap_err()
            .to_string();
        assert!(e.starts_with("perm: unknown module \"studio\""), "{e}");
        assert!(ModuleLevels::parse_perms(&["data-studio"]).is_err());
        assert!(ModuleLevels::parse_perms(&["data-studio=admin"]).is_err());
    }

    #[test]
    fn levels_round_trip_json() {
        let a = ModuleLevels::all(Level::ReadOnly).with(Module::Management, Level::ReadWrite);
        let s = serde_json::to_string(&a).unwrap();
        assert_eq!(serde_json::from_str::<ModuleLevels>(&s).unwrap(), a);
        assert!(serde_json::from_str::<ModuleLevels>("[\"ReadOnly\"]").is_err());
    }
}
