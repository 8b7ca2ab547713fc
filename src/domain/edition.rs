//! DataWorks editions and the features they gate (DESIGN §5).

use serde::{Deserialize, Serialize};

use super::error::{DomainError, DomainResult};

#[derive(
    Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize, Default,
)]
#[serde(rename_all = "lowercase")]
pub enum Edition {
    #[default]
    Basic,
    Standard,
    Professional,
    Enterprise,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub enum Feature {
    CustomWorkspaceRoles,
    CustomTenantRoles,
    ImageBuild,
}

impl Feature {
    pub fn title(self) -> &'static str {
        match self {
            Feature::CustomWorkspaceRoles => "custom workspace roles",
            Feature::CustomTenantRoles => "custom tenant roles",
            Feature::ImageBuild => "building custom images",
        }
    }

    /// The lowest edition that includes the feature.
    pub fn needs(self) -> Edition {
        match self {
            Feature::CustomWorkspaceRoles | Feature::CustomTenantRoles => Edition::Enterprise,
            Feature::ImageBuild => Edition::Professional,
        }
    }
}

impl Edition {
    pub const ALL: [Edition; 4] = [
        Edition::Basic,
        Edition::Standard,
        Edition::Professional,
        Edition::Enterprise,
    ];

    pub fn slug(self) -> &'static str {
        match self {
            Edition::Basic => "basic",
            Edition::Standard => "standard",
            Edition::Professional => "professional",
            Edition::Enterprise => "enterprise",
        }
    }

    pub fn title(self) -> &'static str {
        match self {
            Edition::Basic => "Basic",
            Edition::Standard => "Standard",
            Edition::Professional => "Professional",
            Edition::Enterprise => "Enterprise",
        }
    }

    pub fn parse(field: &str, value: &str) -> DomainResult<Edition> {
        Edition::ALL
            .into_iter()
            .find(|e| e.slug().eq_ignore_ascii_case(value))
            .ok_or_else(|| {
                DomainError::invalid(
                    field,
                    format!(
                        "must be one of basic, standard, professional, enterprise (got {value:?})"
                    ),
                )
            })
    }

    pub fn includes(self, feature: Feature) -> bool {
        self >= feature.needs()
    }

    pub fn require(self, feature: Feature) -> DomainResult<()> {
        if self.includes(feature) {
            Ok(())
        } else {
            Err(DomainError::Edition {
                feature,
                needs: feature.needs(),
                have: self,
            })
        }
    }

    /// dwc's list price of a month of the edition, in cents; Basic is not a subscription (it is
    /// what a tenant has when no edition is bought, billed by use).
    pub fn monthly_price_cents(self) -> Option<i64> {
        match self {
            Edition::Basic => None,
            Edition::Standard => Some(250_000),
            Edition::Professional => Some(625_000),
            Edition::Enterprise => Some(1_250_000),
        }
    }

    /// How many custom images the tenant may hold.
    pub fn image_limit(self) -> u64 {
        match self {
            Edition::Basic | Edition::Standard => 10,
            Edition::Professional => 50,
            Edition::Enterprise => 100,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn gates() {
        assert!(
            Edition::Basic
                .require(Feature::CustomWorkspaceRoles)
                .is_err()
        );
        assert!(
            Edition::Professional
                .require(Feature::CustomWorkspaceRoles)
                .is_err()
        );
        assert!(
            Edition::Enterprise
                .require(Feature::CustomWorkspaceRoles)
                .is_ok()
        );
        assert!(Edition::Standard.require(Feature::ImageBuild).is_err());
        assert!(Edition::Professional.require(Feature::ImageBuild).is_ok());
        let msg = Edition::Basic
            .require(Feature::CustomTenantRoles)
            .unwrap_err()
            .to_string();
        assert_eq!(
            msg,
            "custom tenant roles needs the Enterprise edition or higher (this tenant has Basic)"
        );
        assert_eq!(Edition::ALL.map(Edition::image_limit), [10, 10, 50, 100]);
        assert_eq!(
            Edition::parse("edition", "Enterprise"),
            Ok(Edition::Enterprise)
        );
        assert!(
            Edition::parse("edition", "gold")
                .unwrap_err()
                .to_string()
                .starts_with("edition:")
        );
    }
}
