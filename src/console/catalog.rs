//! Images, large-model deployments, purchased items and bills.

use crate::authz::{Op, Target};
use crate::domain::catalogue;
use crate::domain::image::{Image, ImageKind, ImageStatus, NewImage};
use crate::domain::job::JobKind;
use crate::domain::model::{ModelDeployment, ModelEvent};
use crate::domain::purchase::{Bill, PurchasedItem, month_of};
use crate::domain::resource_group::ResourceGroup;
use crate::store::{T, key};

use super::error::{ConsoleError, Result};
use super::{Console, Session, fail};

/// Where a running deployment answers.
pub(super) fn model_endpoint(name: &str, region: &str) -> String {
    // Host names take no underscores.
    format!(
        "https://{}.{region}.models.dataworks.internal/v1",
        name.replace('_', "-")
    )
}

/// Official images as Image records (read-only, every region).
pub fn official_images(region: &str) -> Vec<Image> {
    catalogue::official_images()
        .iter()
        .map(|i| Image {
            name: i.name.clone(),
            region: region.to_owned(),
            kind: ImageKind::Official,
            description: i.description.clone(),
            base: String::new(),
            packages: Vec::new(),
            task_types: i
                .task_types
                .iter()
                .filter_map(|t| crate::domain::image::TaskType::parse("task", t).ok())
                .collect(),
            status: ImageStatus::Available,
            build_group: None,
            reason: None,
            created_at: chrono::DateTime::UNIX_EPOCH,
        })
        .collect()
}

impl Console {
    /// The group is still usable, as the transaction that relies on it sees it.
    fn usable_group_in(
        tx: &crate::store::Tx,
        region: &str,
        name: &str,
    ) -> crate::store::TxResult<(), ConsoleError> {
        match tx.get::<ResourceGroup, _>(T::ResourceGroups, name.as_bytes())? {
            Some(g) if g.region == region && g.is_usable() => Ok(()),
            Some(g) if g.region == region => fail(ConsoleError::Conflict(format!(
                "resource group {name} is {}: only a Normal group can run this",
                g.status
            ))),
            _ => fail(ConsoleError::NotFound(format!("resource group {name}"))),
        }
    }

    fn usable_group(&self, s: &Session, name: &str) -> Result<ResourceGroup> {
        let g: ResourceGroup = self
            .store
            .get::<ResourceGroup>(T::ResourceGroups, name.as_bytes())?
            .filter(|g| g.region == s.region)
            .ok_or_else(|| ConsoleError::NotFound(format!("resource group {name}")))?;
        if !g.is_usable() {
            return Err(ConsoleError::Conflict(format!(
                "resource group {name} is {}: only a Normal group can run this",
                g.status
            )));
        }
        Ok(g)
    }

    /// Official images and this region's custom images.
    pub fn list_images(&self, s: &Session) -> Result<Vec<Image>> {
        self.require(
            s,
            Op::ListImages,
            &Target::Image {
                name: "*",
                region: &s.region,
            },
            "images",
        )?;
        let mut out = official_images(&s.region);
        out.extend(
            self.store
                .scan::<Image>(T::Images, b"")?
                .into_iter()
                .filter(|i| i.region == s.region),
        );
        Ok(out)
    }

    pub fn get_image(&self, s: &Session, name: &str) -> Result<Image> {
        self.list_images(s)?
            .into_iter()
            .find(|i| i.name == name)
            .ok_or_else(|| ConsoleError::NotFound(format!("image {name}")))
    }

    pub fn create_image(&self, s: &Session, input: NewImage) -> Result<Image> {
        let label = format!("image {}", input.name);
        self.require(
            s,
            Op::CreateImage,
            &Target::Image {
                name: &input.name,
                region: &s.region,
            },
            &label,
        )?;
        let count = self.store.count(T::Images, b"")? as u64;
        let bases = catalogue::official_image_names();
        let img = self.checked(
            s,
            Op::CreateImage,
            &label,
            Image::create(
                input,
                &s.region,
                &bases,
                count,
                self.tenant().edition,
                self.now(),
            )
            .map_err(Into::into),
        )?;
        self.change(s, Op::CreateImage, &label, |tx| {
            if tx.has(T::Images, img.name.as_bytes())?
                || catalogue::official_image_names().contains(&img.name.as_str())
            {
                return fail(ConsoleError::Conflict(format!(
                    "image {} already exists",
                    img.name
                )));
            }
            tx.put(T::Images, img.name.as_bytes(), &img)
        })?;
        Ok(img)
    }

    /// Starts building a custom image on a Normal resource group (Professional edition and up):
    /// Building until its job ends in Available or BuildFailed.
    pub fn build_image(&self, s: &Session, name: &str, group: &str) -> Result<Image> {
        let label = format!("image {name}");
        self.require(
            s,
            Op::BuildImage,
            &Target::Image {
                name,
                region: &s.region,
            },
            &label,
        )?;
        let edition = self.tenant().edition;
        let prepared = (|| {
            self.usable_group(s, group)?;
            let mut img: Image = self
                .store
                .get::<Image>(T::Images, name.as_bytes())?
                .filter(|i| i.region == s.region)
                .ok_or_else(|| ConsoleError::NotFound(label.clone()))?;
            img.start_build(group, edition)?;
            Ok(img)
        })();
        let img = self.checked(s, Op::BuildImage, &label, prepared)?;
        let before: Option<Image> = self.store.get(T::Images, name.as_bytes())?;
        self.change(s, Op::BuildImage, &label, |tx| {
            Self::usable_group_in(tx, &s.region, group)?;
            if tx.get::<Image, _>(T::Images, name.as_bytes())? != before {
                return fail(ConsoleError::Conflict(format!(
                    "image {name} changed meanwhile; try again"
                )));
            }
            tx.put(T::Images, name.as_bytes(), &img)?;
            let kind = JobKind::BuildImage {
                group: group.to_owned(),
            };
            self.start_job(tx, s, kind, name).map(|_| ())
        })?;
        Ok(img)
    }

    pub fn delete_image(&self, s: &Session, name: &str) -> Result<()> {
        let label = format!("image {name}");
        self.require(
            s,
            Op::DeleteImage,
            &Target::Image {
                name,
                region: &s.region,
            },
            &label,
        )?;
        if catalogue::official_image_names().contains(&name) {
            return self.checked(
                s,
                Op::DeleteImage,
                &label,
                Err(ConsoleError::Conflict(format!(
                    "{name} is an official image; official images are read-only"
                ))),
            );
        }
        self.change(s, Op::DeleteImage, &label, |tx| {
            let Some(img) = tx
                .get::<Image, _>(T::Images, name.as_bytes())?
                .filter(|i| i.region == s.region)
            else {
                return fail(ConsoleError::NotFound(label.clone()));
            };
            if let Err(e) = img.check_delete() {
                return fail(e.into());
            }
            tx.del(T::Images, name.as_bytes())
        })
    }

    // ----- large model service -----

    pub fn list_models(&self, s: &Session) -> Result<Vec<ModelDeployment>> {
        self.require(
            s,
            Op::ListModelDeployments,
            &Target::ModelDeployment {
                name: "*",
                region: &s.region,
            },
            "model deployments",
        )?;
        Ok(self
            .store
            .scan::<ModelDeployment>(T::Models, b"")?
            .into_iter()
            .filter(|m| m.region == s.region)
            .collect())
    }

    pub fn get_model(&self, s: &Session, name: &str) -> Result<ModelDeployment> {
        self.list_models(s)?
            .into_iter()
            .find(|m| m.name == name)
            .ok_or_else(|| ConsoleError::NotFound(format!("model deployment {name}")))
    }

    /// Deploys a catalogue model on a Normal resource group large enough for its replicas.
    pub fn deploy_model(
        &self,
        s: &Session,
        name: &str,
        model: &str,
        group: &str,
        replicas: u32,
    ) -> Result<ModelDeployment> {
        let label = format!("model deployment {name}");
        self.require(
            s,
            Op::CreateModelDeployment,
            &Target::ModelDeployment {
                name,
                region: &s.region,
            },
            &label,
        )?;
        let prepared = (|| {
            let g = self.usable_group(s, group)?;
            let m = ModelDeployment::create(
                name,
                &s.region,
                model,
                &catalogue::model_ids(),
                group,
                replicas,
                self.now(),
            )?;
            if let Some(entry) = catalogue::models().iter().find(|e| e.id == model) {
                let need = entry.min_cu * replicas;
                let used = self.cu_in_use(&s.region)?.get(group).copied().unwrap_or(0);
                let free = g.spec_cu.saturating_sub(used);
                if free < need {
                    return Err(ConsoleError::invalid(
                        "replicas",
                        format!(
                            "{replicas} replica(s) of {model} need {need} CU; {group} has {free} of {} CU free",
                            g.spec_cu
                        ),
                    ));
                }
            }
            Ok(m)
        })();
        let m = self.checked(s, Op::CreateModelDeployment, &label, prepared)?;
        self.change(s, Op::CreateModelDeployment, &label, |tx| {
            // Capacity is checked again by the deployment's first job step, which runs alone.
            Self::usable_group_in(tx, &s.region, group)?;
            if tx.has(T::Models, name.as_bytes())? {
                return fail(ConsoleError::Conflict(format!(
                    "model deployment {name} already exists"
                )));
            }
            tx.put(T::Models, name.as_bytes(), &m)?;
            self.start_job(tx, s, JobKind::DeployModel, name)
                .map(|_| ())
        })?;
        Ok(m)
    }

    pub fn delete_model(&self, s: &Session, name: &str) -> Result<()> {
        let label = format!("model deployment {name}");
        self.require(
            s,
            Op::DeleteModelDeployment,
            &Target::ModelDeployment {
                name,
                region: &s.region,
            },
            &label,
        )?;
        self.change(s, Op::DeleteModelDeployment, &label, |tx| {
            let Some(mut m) = tx
                .get::<ModelDeployment, _>(T::Models, name.as_bytes())?
                .filter(|m| m.region == s.region)
            else {
                return fail(ConsoleError::NotFound(label.clone()));
            };
            if let Err(e) = m.apply(ModelEvent::StartDelete) {
                return fail(e.into());
            }
            tx.del(T::Models, name.as_bytes())
        })
    }

    // ----- purchases -----

    pub fn list_purchases(&self, s: &Session) -> Result<Vec<PurchasedItem>> {
        self.require(s, Op::QueryOrders, &Target::Billing, "purchased items")?;
        Ok(self.store.scan(T::Purchases, b"")?)
    }

    pub fn get_purchase(&self, s: &Session, id: &str) -> Result<PurchasedItem> {
        self.require(s, Op::QueryOrders, &Target::Billing, "purchased items")?;
        self.store
            .get(T::Purchases, id.as_bytes())?
            .ok_or_else(|| ConsoleError::NotFound(format!("purchased item {id}")))
    }

    /// Renews a subscription by `months` from its expiry (or from now, if it has passed): a
    /// resource group's through its renewal job; the months are billed as they begin, like
    /// every subscription. Returns the item and what the months cost.
    pub fn renew_purchase(
        &self,
        s: &Session,
        id: &str,
        months: u32,
    ) -> Result<(PurchasedItem, i64)> {
        use crate::domain::purchase::{Billing, PurchaseKind};
        let label = format!("purchased item {id}");
        crate::domain::resource_group::check_months(months)?;
        let item = self.get_purchase(s, id)?;
        if let PurchaseKind::ResourceGroup(g) = &item.kind {
            // The group's own renewal, with its purchase check, job and audit.
            self.renew_resource_group(s, g, months)?;
        } else {
            self.require_purchase(
                s,
                (Op::ModifyEdition, &Target::Tenant),
                Op::RenewInstance,
                &label,
            )?;
        }
        let now = self.now();
        let renewed = self.change(s, Op::RenewInstance, &label, |tx| {
            let Some(mut item) = tx.get::<PurchasedItem, _>(T::Purchases, id.as_bytes())? else {
                return fail(ConsoleError::NotFound(label.clone()));
            };
            match &mut item.billing {
                Billing::Subscription { expires_at, .. } => {
                    let from = (*expires_at).max(now);
                    *expires_at = from
                        .checked_add_months(chrono::Months::new(months))
                        .unwrap_or(from);
                }
                Billing::PayAsYouGo => {
                    return fail(ConsoleError::invalid(
                        "id",
                        format!("{id} is pay-as-you-go: there is nothing to renew"),
                    ));
                }
            }
            tx.put(T::Purchases, id.as_bytes(), &item)?;
            Ok(item)
        })?;
        let cost = renewed.unit_price_cents * i64::from(months);
        Ok((renewed, cost))
    }

    /// Upgrades or downgrades a subscription: an edition item to another edition (the tenant's
    /// edition changes with it; the difference for the time left is charged or refunded at
    /// once, in the same transaction), or a resource group's item to another spec (through the
    /// group's scaling job, which bills the difference when the new spec takes effect).
    /// Returns the item and the charge (negative: a refund) — for a spec, what it will be.
    pub fn modify_purchase(
        &self,
        s: &Session,
        id: &str,
        to: Modify,
    ) -> Result<(PurchasedItem, i64)> {
        use crate::domain::purchase::{Billing, PurchaseKind, PurchaseStatus, change_charge};
        let label = format!("purchased item {id}");
        let item = self.get_purchase(s, id)?;
        let Billing::Subscription { expires_at, .. } = item.billing else {
            return Err(ConsoleError::invalid(
                "id",
                format!("{id} is pay-as-you-go: it has no configuration to upgrade or downgrade"),
            ));
        };
        if item.status != PurchaseStatus::Active {
            return Err(ConsoleError::invalid(
                "id",
                format!(
                    "{id} is {:?}: only an active subscription changes",
                    item.status
                ),
            ));
        }
        let now = self.now();
        match (&item.kind, to) {
            (PurchaseKind::Edition(have), Modify::Edition(want)) => {
                let Some(price) = want.monthly_price_cents() else {
                    return Err(ConsoleError::invalid(
                        "edition",
                        format!("Basic is not a subscription: unsubscribe {id} to return to Basic"),
                    ));
                };
                if *have == want {
                    return Err(ConsoleError::invalid(
                        "edition",
                        format!("{id} is already the {} Edition", want.title()),
                    ));
                }
                self.require_edition_change(s)?;
                let mut tenant = self.tenant();
                tenant.edition = want;
                let (item, charge) = self.change(
                    s,
                    Op::ModifyInstance,
                    &format!("{label}: edition {}", want.title()),
                    |tx| {
                        let Some(mut item) =
                            tx.get::<PurchasedItem, _>(T::Purchases, id.as_bytes())?
                        else {
                            return fail(ConsoleError::NotFound(label.clone()));
                        };
                        if item.kind != PurchaseKind::Edition(*have) {
                            return fail(ConsoleError::Conflict(format!(
                                "{label} changed meanwhile: look again"
                            )));
                        }
                        let charge = change_charge(item.unit_price_cents, price, now, expires_at);
                        let what = if charge >= 0 {
                            "upgrade"
                        } else {
                            "downgrade refund"
                        };
                        let bill = match Bill::change(
                            &month_of(now),
                            id,
                            &format!(
                                "{} to {} Edition, {what} for the time left",
                                have.title(),
                                want.title()
                            ),
                            charge,
                        ) {
                            Ok(b) => b,
                            Err(e) => return fail(e.into()),
                        };
                        item.kind = PurchaseKind::Edition(want);
                        item.unit_price_cents = price;
                        tx.put(T::Purchases, id.as_bytes(), &item)?;
                        tx.put(T::Bills, &change_bill_key(&bill, tx.next_id()?), &bill)?;
                        tx.put(T::Meta, super::TENANT_KEY, &tenant)?;
                        Ok((item, charge))
                    },
                )?;
                *self.tenant.write().unwrap_or_else(|e| e.into_inner()) = tenant;
                Ok((item, charge))
            }
            (PurchaseKind::ResourceGroup(g), Modify::Spec(cu)) => {
                let group = self
                    .store
                    .get::<ResourceGroup>(T::ResourceGroups, g.as_bytes())?
                    .ok_or_else(|| ConsoleError::NotFound(format!("resource group {g}")))?;
                let charge = change_charge(
                    item.unit_price_cents,
                    spec_price(item.unit_price_cents, group.spec_cu, cu),
                    now,
                    expires_at,
                );
                self.scale_resource_group(s, g, cu)?;
                Ok((self.get_purchase(s, id)?, charge))
            }
            (PurchaseKind::Edition(_), Modify::Spec(_)) => Err(ConsoleError::invalid(
                "spec",
                format!("{id} is an edition: change it with --edition"),
            )),
            (PurchaseKind::ResourceGroup(_), Modify::Edition(_)) => Err(ConsoleError::invalid(
                "edition",
                format!("{id} is a resource group: change its size with --spec"),
            )),
            (PurchaseKind::Service(_), _) => Err(ConsoleError::invalid(
                "id",
                format!("{id} has no edition or spec to change"),
            )),
        }
    }

    pub fn unsubscribe(&self, s: &Session, id: &str) -> Result<PurchasedItem> {
        let label = format!("purchased item {id}");
        self.require_purchase(
            s,
            (Op::UnsubscribeService, &Target::Tenant),
            Op::UnsubscribeInstance,
            &label,
        )?;
        self.change(s, Op::UnsubscribeInstance, &label, |tx| {
            let Some(mut item) = tx.get::<PurchasedItem, _>(T::Purchases, id.as_bytes())? else {
                return fail(ConsoleError::NotFound(label.clone()));
            };
            if let Err(e) = item.unsubscribe() {
                return fail(e.into());
            }
            tx.put(T::Purchases, id.as_bytes(), &item)?;
            Ok(item)
        })
    }

    /// Bills, newest month first; `month` (`YYYY-MM`) narrows to one month.
    pub fn list_bills(&self, s: &Session, month: Option<&str>) -> Result<Vec<Bill>> {
        self.require(s, Op::QueryBill, &Target::Billing, "bills")?;
        if let Some(m) = month {
            crate::domain::names::year_month("month", m)?;
        }
        let p = month.map(crate::store::prefix).unwrap_or_default();
        let mut bills: Vec<Bill> = self.store.scan(T::Bills, &p)?;
        bills.sort_by(|a, b| b.month.cmp(&a.month).then(a.item_id.cmp(&b.item_id)));
        Ok(bills)
    }
}

pub(super) fn bill_key(b: &Bill) -> Vec<u8> {
    key(&[&b.month, &b.item_id])
}

/// A configuration change's bill: beside the item's monthly one, one per change.
pub(super) fn change_bill_key(b: &Bill, seq: u64) -> Vec<u8> {
    key(&[&b.month, &b.item_id, &format!("{seq:020}")])
}

/// What an upgrade or downgrade asks for.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Modify {
    Edition(crate::domain::Edition),
    Spec(u32),
}

/// A resource group's monthly price at another spec: its price per CU as it was bought.
pub(super) fn spec_price(monthly: i64, from_cu: u32, to_cu: u32) -> i64 {
    if from_cu == 0 {
        return monthly;
    }
    monthly * i64::from(to_cu) / i64::from(from_cu)
}
