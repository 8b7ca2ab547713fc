//! Data the product ships in `assets/`: official images, the large-model catalogue and product
//! updates. Compiled into the binary, so nothing is read or downloaded at run time.

use std::sync::LazyLock;

use serde::Deserialize;

#[derive(Debug, Clone, Deserialize)]
pub struct OfficialImage {
    pub name: String,
    pub description: String,
    pub task_types: Vec<String>,
}

#[derive(Debug, Clone, Deserialize)]
pub struct CatalogueModel {
    pub id: String,
    pub title: String,
    /// The smallest resource group spec that runs one replica.
    pub min_cu: u32,
    pub description: String,
}

#[derive(Debug, Clone, Deserialize)]
pub struct ProductUpdate {
    pub date: String,
    pub title: String,
    pub body: String,
}

fn parse<T: for<'de> Deserialize<'de>>(what: &str, text: &str) -> Vec<T> {
    // The assets are part of the build and covered by tests; a broken one is a build defect.
    serde_json::from_str(text).unwrap_or_else(|e| panic!("assets/{what} is not valid: {e}"))
}

static IMAGES: LazyLock<Vec<OfficialImage>> = LazyLock::new(|| {
    parse(
        "official_images.json",
        include_str!("../../assets/official_images.json"),
    )
});
static MODELS: LazyLock<Vec<CatalogueModel>> =
    LazyLock::new(|| parse("models.json", include_str!("../../assets/models.json")));
static UPDATES: LazyLock<Vec<ProductUpdate>> = LazyLock::new(|| {
    parse(
        "product_updates.json",
        include_str!("../../assets/product_updates.json"),
    )
});

pub fn official_images() -> &'static [OfficialImage] {
    &IMAGES
}

pub fn official_image_names() -> Vec<&'static str> {
    IMAGES.iter().map(|i| i.name.as_str()).collect()
}

pub fn models() -> &'static [CatalogueModel] {
    &MODELS
}

pub fn model_ids() -> Vec<&'static str> {
    MODELS.iter().map(|m| m.id.as_str()).collect()
}

pub fn product_updates() -> &'static [ProductUpdate] {
    &UPDATES
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::domain::{image::TaskType, names};

    #[test]
    fn assets_are_valid() {
        assert!(!official_images().is_empty());
        for img in official_images() {
            names::image_name(&img.name).unwrap();
            for t in &img.task_types {
                TaskType::parse("task_types", t).unwrap();
            }
        }
        assert!(model_ids().contains(&"qwen3-8b"));
        for m in models() {
            assert!(
                m.min_cu >= crate::domain::resource_group::MIN_CU,
                "{}",
                m.id
            );
        }
        let dates: Vec<&str> = product_updates().iter().map(|u| u.date.as_str()).collect();
        let mut sorted = dates.clone();
        sorted.sort_by(|a, b| b.cmp(a));
        assert_eq!(dates, sorted, "newest first");
        for d in dates {
            assert!(
                chrono::NaiveDate::parse_from_str(d, "%Y-%m-%d").is_ok(),
                "{d}"
            );
        }
    }
}
