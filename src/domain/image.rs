//! Images for Serverless resource groups: official ones (read-only, from assets) and custom ones
//! that a person builds on a resource group (Professional edition and up).

use serde::{Deserialize, Serialize};

use super::Timestamp;
use super::edition::{Edition, Feature};
use super::error::{DomainError, DomainResult};
use super::names;

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub enum ImageStatus {
    Draft,
    Building,
    Available,
    BuildFailed,
}

impl ImageStatus {
    pub fn title(self) -> &'static str {
        match self {
            ImageStatus::Draft => "Draft",
            ImageStatus::Building => "Building",
            ImageStatus::Available => "Available",
            ImageStatus::BuildFailed => "BuildFailed",
        }
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
pub enum TaskType {
    Shell,
    Python,
    PyOdps3,
    Notebook,
}

impl TaskType {
    pub const ALL: [TaskType; 4] = [
        TaskType::Shell,
        TaskType::Python,
        TaskType::PyOdps3,
        TaskType::Notebook,
    ];

    pub fn title(self) -> &'static str {
        match self {
            TaskType::Shell => "Shell",
            TaskType::Python => "Python",
            TaskType::PyOdps3 => "PyODPS 3",
            TaskType::Notebook => "Notebook",
        }
    }

    pub fn parse(field: &str, value: &str) -> DomainResult<Self> {
        let v: String = value
            .chars()
            .filter(|c| !c.is_whitespace())
            .collect::<String>()
            .to_ascii_lowercase();
        Self::ALL
            .into_iter()
            .find(|t| t.title().replace(' ', "").eq_ignore_ascii_case(&v))
            .ok_or_else(|| {
                DomainError::invalid(
                    field,
                    format!("must be Shell, Python, PyODPS 3 or Notebook (got {value:?})"),
                )
            })
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub enum ImageKind {
    Official,
    Custom,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Image {
    pub name: String,
    pub region: String,
    pub kind: ImageKind,
    pub description: String,
    /// The image it extends (an official image's name).
    pub base: String,
    /// pip-style requirements such as `pandas==2.2.2`.
    pub packages: Vec<String>,
    pub task_types: Vec<TaskType>,
    pub status: ImageStatus,
    /// The resource group the last build ran on.
    pub build_group: Option<String>,
    pub reason: Option<String>,
    pub created_at: Timestamp,
}

/// `name`, or `name` followed by one of `==`, `>=`, `<=`, `~=` and a version.
pub fn check_package(value: &str) -> DomainResult<()> {
    let (name, version) = match value.find(['=', '>', '<', '~']) {
        Some(i) => {
            let (n, rest) = value.split_at(i);
            let v = ["==", ">=", "<=", "~="]
                .iter()
                .find_map(|op| rest.strip_prefix(op));
            match v {
                Some(v) => (n, Some(v)),
                None => {
                    return Err(DomainError::invalid(
                        "packages",
                        format!("{value:?}: use ==, >=, <= or ~= before a version"),
                    ));
                }
            }
        }
        None => (value, None),
    };
    let name_ok = !name.is_empty()
        && name.len() <= 100
        && name.starts_with(|c: char| c.is_ascii_alphanumeric())
        && name
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || matches!(c, '-' | '_' | '.'));
    let version_ok = version.is_none_or(|v| {
        !v.is_empty()
            && v.len() <= 50
            && v.chars()
                .all(|c| c.is_ascii_alphanumeric() || matches!(c, '.' | '*' | '+' | '!'))
    });
    if name_ok && version_ok {
        Ok(())
    } else {
        Err(DomainError::invalid(
            "packages",
            format!("{value:?} is not a package such as pandas or pandas==2.2.2"),
        ))
    }
}

#[derive(Debug, Clone, Default)]
pub struct NewImage {
    pub name: String,
    pub description: String,
    pub base: String,
    pub packages: Vec<String>,
    pub task_types: Vec<TaskType>,
}

impl Image {
    /// A custom image starts as a Draft. `custom_count` is how many custom images the tenant has.
    pub fn create(
        input: NewImage,
        region: &str,
        official_bases: &[&str],
        custom_count: u64,
        edition: Edition,
        now: Timestamp,
    ) -> DomainResult<Self> {
        names::image_name(&input.name)?;
        names::text_block("description", &input.description, 512)?;
        if !official_bases.contains(&input.base.as_str()) {
            return Err(DomainError::invalid(
                "base",
                format!(
                    "unknown base image {:?} (one of {})",
                    input.base,
                    official_bases.join(", ")
                ),
            ));
        }
        if input.packages.len() > 100 {
            return Err(DomainError::invalid("packages", "at most 100 packages"));
        }
        for p in &input.packages {
            check_package(p)?;
        }
        if input.task_types.is_empty() {
            return Err(DomainError::invalid(
                "task_types",
                "choose at least one of Shell, Python, PyODPS 3, Notebook",
            ));
        }
        let limit = edition.image_limit();
        if custom_count >= limit {
            return Err(DomainError::Limit {
                what: format!("custom images in the {} edition", edition.title()),
                limit,
            });
        }
        let mut task_types = input.task_types;
        task_types.sort();
        task_types.dedup();
        Ok(Image {
            name: input.name,
            region: region.to_owned(),
            kind: ImageKind::Custom,
            description: input.description,
            base: input.base,
            packages: input.packages,
            task_types,
            status: ImageStatus::Draft,
            build_group: None,
            reason: None,
            created_at: now,
        })
    }

    fn illegal(&self, action: &'static str) -> DomainError {
        DomainError::IllegalTransition {
            entity: "image",
            name: self.name.clone(),
            state: if self.kind == ImageKind::Official {
                "official".into()
            } else {
                self.status.title().into()
            },
            action,
        }
    }

    /// Starts a build on a resource group (Professional+); Draft, Available and BuildFailed may build.
    pub fn start_build(&mut self, group: &str, edition: Edition) -> DomainResult<()> {
        edition.require(Feature::ImageBuild)?;
        if self.kind == ImageKind::Official || self.status == ImageStatus::Building {
            return Err(self.illegal("build it"));
        }
        self.status = ImageStatus::Building;
        self.build_group = Some(group.to_owned());
        self.reason = None;
        Ok(())
    }

    pub fn finish_build(&mut self, result: Result<(), String>) -> DomainResult<()> {
        if self.status != ImageStatus::Building {
            return Err(self.illegal("finish a build"));
        }
        match result {
            Ok(()) => self.status = ImageStatus::Available,
            Err(reason) => {
                self.status = ImageStatus::BuildFailed;
                self.reason = Some(reason);
            }
        }
        Ok(())
    }

    pub fn check_delete(&self) -> DomainResult<()> {
        if self.kind == ImageKind::Official || self.status == ImageStatus::Building {
            return Err(self.illegal("delete it"));
        }
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn new(name: &str) -> NewImage {
        NewImage {
            name: name.into(),
            base: "dataworks_python311".into(),
            packages: vec!["pandas==2.2.2".into(), "requests".into()],
            task_types: vec![TaskType::Python, TaskType::Shell, TaskType::Python],
            ..Default::default()
        }
    }

    const BASES: &[&str] = &["dataworks_python311"];

    #[test]
    fn create_and_build() {
        let t = chrono::DateTime::UNIX_EPOCH;
        let mut img =
            Image::create(new("etl_py"), "cn-hangzhou", BASES, 0, Edition::Basic, t).unwrap();
        assert_eq!(img.task_types, [TaskType::Shell, TaskType::Python]);
        let e = img
            .start_build("rg", Edition::Standard)
            .unwrap_err()
            .to_string();
        assert!(e.contains("Professional"), "{e}");
        img.start_build("rg", Edition::Professional).unwrap();
        assert!(img.check_delete().is_err());
        assert!(img.start_build("rg", Edition::Professional).is_err());
        img.finish_build(Err("pip: no matching distribution".into()))
            .unwrap();
        assert_eq!(img.status, ImageStatus::BuildFailed);
        img.start_build("rg", Edition::Professional).unwrap();
        img.finish_build(Ok(())).unwrap();
        assert_eq!(
            (img.status, img.reason.clone()),
            (ImageStatus::Available, None)
        );
        assert!(img.check_delete().is_ok());
    }

    #[test]
    fn limits_and_validation() {
        let t = chrono::DateTime::UNIX_EPOCH;
        assert!(Image::create(new("x"), "r", BASES, 9, Edition::Basic, t).is_ok());
        let e = Image::create(new("x"), "r", BASES, 10, Edition::Standard, t)
            .unwrap_err()
            .to_string();
        assert_eq!(
            e,
            "custom images in the Standard edition: limit of 10 reached"
        );
        assert!(Image::create(new("x"), "r", BASES, 10, Edition::Professional, t).is_ok());
        assert!(Image::create(new("x"), "r", BASES, 100, Edition::Enterprise, t).is_err());
        let mut bad = new("x");
        bad.base = "ubuntu".into();
        assert!(
            Image::create(bad, "r", BASES, 0, Edition::Basic, t)
                .unwrap_err()
                .to_string()
                .starts_with("base:")
        );
        for p in ["pandas", "numpy>=1.26", "scikit-learn~=1.5.0"] {
            assert!(check_package(p).is_ok(), "{p}");
        }
        for p in ["", "pan das", "x=1", "x==", "-x"] {
            assert!(check_package(p).is_err(), "{p}");
        }
        assert_eq!(TaskType::parse("task", "pyodps3"), Ok(TaskType::PyOdps3));
        assert_eq!(TaskType::parse("task", "PyODPS 3"), Ok(TaskType::PyOdps3));
    }
}
