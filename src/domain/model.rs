//! Large model service: models from the catalogue deployed on a Serverless resource group.

use serde::{Deserialize, Serialize};

use super::Timestamp;
use super::error::{DomainError, DomainResult};
use super::names;

pub const MAX_REPLICAS: u32 = 16;

pub fn check_replicas(replicas: impl Into<i64>) -> DomainResult<()> {
    names::in_range("replicas", replicas.into(), 1, MAX_REPLICAS.into(), "")
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub enum ModelStatus {
    Deploying,
    Running,
    DeployFailed,
    Updating,
    UpdateFailed,
    Stopping,
    Stopped,
    Deleting,
}

impl ModelStatus {
    pub fn title(self) -> &'static str {
        match self {
            ModelStatus::Deploying => "Deploying",
            ModelStatus::Running => "Running",
            ModelStatus::DeployFailed => "DeployFailed",
            ModelStatus::Updating => "Updating",
            ModelStatus::UpdateFailed => "UpdateFailed",
            ModelStatus::Stopping => "Stopping",
            ModelStatus::Stopped => "Stopped",
            ModelStatus::Deleting => "Deleting",
        }
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ModelEvent {
    Deployed,
    DeployFailed,
    StartUpdate,
    Updated,
    UpdateFailed,
    Stop,
    Stopped,
    Start,
    StartDelete,
}

/// Where a deployment may go; `Err` names the refused action.
pub fn next_model_status(
    from: ModelStatus,
    event: ModelEvent,
) -> Result<ModelStatus, &'static str> {
    use ModelEvent as E;
    use ModelStatus as S;
    Ok(match (from, event) {
        (S::Deploying, E::Deployed) => S::Running,
        (S::Deploying, E::DeployFailed) => S::DeployFailed,
        (S::Running | S::UpdateFailed, E::StartUpdate) => S::Updating,
        (S::Updating, E::Updated) => S::Running,
        (S::Updating, E::UpdateFailed) => S::UpdateFailed,
        (S::Running | S::UpdateFailed, E::Stop) => S::Stopping,
        (S::Stopping, E::Stopped) => S::Stopped,
        (S::Stopped | S::DeployFailed, E::Start) => S::Deploying,
        (S::Running | S::DeployFailed | S::UpdateFailed | S::Stopped, E::StartDelete) => {
            S::Deleting
        }
        (_, E::StartUpdate) => return Err("scale it"),
        (_, E::Stop) => return Err("stop it"),
        (_, E::Start) => return Err("start it"),
        (_, E::StartDelete) => return Err("delete it"),
        _ => return Err("finish its job"),
    })
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ModelDeployment {
    pub name: String,
    pub region: String,
    /// Catalogue id of the model, such as `qwen3-8b`.
    pub model: String,
    pub resource_group: String,
    pub replicas: u32,
    pub status: ModelStatus,
    pub endpoint: Option<String>,
    pub reason: Option<String>,
    pub created_at: Timestamp,
}

impl ModelDeployment {
    pub fn create(
        name: &str,
        region: &str,
        model: &str,
        catalogue: &[&str],
        resource_group: &str,
        replicas: u32,
        now: Timestamp,
    ) -> DomainResult<Self> {
        names::model_deployment_name(name)?;
        if !catalogue.contains(&model) {
            return Err(DomainError::invalid(
                "model",
                format!("unknown model {model:?} (one of {})", catalogue.join(", ")),
            ));
        }
        check_replicas(replicas)?;
        Ok(ModelDeployment {
            name: name.to_owned(),
            region: region.to_owned(),
            model: model.to_owned(),
            resource_group: resource_group.to_owned(),
            replicas,
            status: ModelStatus::Deploying,
            endpoint: None,
            reason: None,
            created_at: now,
        })
    }

    /// The CU this deployment holds on its resource group: every replica's share, from
    /// deploying until it is stopped or has failed to deploy.
    pub fn cu_held(&self) -> u32 {
        let holds = !matches!(
            self.status,
            ModelStatus::Stopped | ModelStatus::DeployFailed
        );
        let per_replica = crate::domain::catalogue::models()
            .iter()
            .find(|e| e.id == self.model)
            .map_or(0, |e| e.min_cu);
        if holds {
            per_replica * self.replicas
        } else {
            0
        }
    }

    pub fn apply(&mut self, event: ModelEvent) -> DomainResult<()> {
        let to = next_model_status(self.status, event).map_err(|action| {
            DomainError::IllegalTransition {
                entity: "model deployment",
                name: self.name.clone(),
                state: self.status.title().into(),
                action,
            }
        })?;
        self.status = to;
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn lifecycle() {
        let t = chrono::DateTime::UNIX_EPOCH;
        let mut m = ModelDeployment::create(
            "qwen_chat",
            "cn-hangzhou",
            "qwen3-8b",
            &["qwen3-8b"],
            "rg",
            2,
            t,
        )
        .unwrap();
        assert!(
            m.apply(ModelEvent::Stop)
                .unwrap_err()
                .to_string()
                .contains("Deploying: cannot stop it")
        );
        m.apply(ModelEvent::Deployed).unwrap();
        m.apply(ModelEvent::StartUpdate).unwrap();
        m.apply(ModelEvent::Updated).unwrap();
        m.apply(ModelEvent::Stop).unwrap();
        m.apply(ModelEvent::Stopped).unwrap();
        m.apply(ModelEvent::Start).unwrap();
        assert_eq!(m.status, ModelStatus::Deploying);
        assert!(m.apply(ModelEvent::StartDelete).is_err());
        assert!(ModelDeployment::create("x", "r", "gpt", &["qwen3-8b"], "rg", 1, t).is_err());
        assert!(
            ModelDeployment::create("x", "r", "qwen3-8b", &["qwen3-8b"], "rg", 17, t)
                .unwrap_err()
                .to_string()
                .starts_with("replicas:")
        );
    }
}
