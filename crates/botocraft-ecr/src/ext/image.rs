//! Images: delete with the `failures` check, put-then-get, the manifest, the
//! scan waiter and small helpers.

use botocraft_core::waiter::{Acceptor, Waiter};
use botocraft_core::{Error, PrimaryModel, Result};

use crate::generated::call;

/// The manifest media types [`EcrImage::manifest`] and
/// `EcrImageManager::get_manifests` accept by default: every kind ECR
/// stores (Docker image manifest v2 and v1, Docker manifest list, OCI image
/// manifest and OCI image index).
pub const MANIFEST_MEDIA_TYPES: &[&str] = &[
    "application/vnd.docker.distribution.manifest.v2+json",
    "application/vnd.docker.distribution.manifest.list.v2+json",
    "application/vnd.oci.image.manifest.v1+json",
    "application/vnd.oci.image.index.v1+json",
    "application/vnd.docker.distribution.manifest.v1+json",
];

use crate::{
    BatchGetImageResponse, DescribeImageScanFindingsRequest, DescribeImageScanFindingsResponse,
    EcrImage, EcrImageKey, EcrImageManager, EcrImageScanFindings, ImageFailure, ImageFailureCode,
    ImageIdentifier,
};

impl EcrImageScanFindings {
    /// Every page of the findings (`DescribeImageScanFindings` followed
    /// through its `nextToken`), merged into one answer: the first page's,
    /// with the findings and enhanced findings of every page, and no next
    /// token. `None` when the image was never scanned; a page that fails
    /// fails the whole call, never a shorter list. A token AWS repeats is an
    /// error rather than a loop.
    ///
    /// ```no_run
    /// # mod botocraft { pub(crate) use ::botocraft_ecr as ecr; }
    /// use botocraft::ecr::{EcrImage, ImageIdentifier};
    ///
    /// # async fn run() -> botocraft_core::Result<()> {
    /// let findings = EcrImage::objects()
    ///     .scan_findings("web", ImageIdentifier::tag("1.4.2"))
    ///     .all_pages()
    ///     .await?;
    /// let count = findings
    ///     .and_then(|f| f.image_scan_findings)
    ///     .and_then(|f| f.findings)
    ///     .map_or(0, |f| f.len());
    /// println!("{count} findings");
    /// # Ok(())
    /// # }
    /// ```
    #[cfg_attr(not(debug_assertions), inline)]
    pub async fn all_pages(self) -> Result<Option<DescribeImageScanFindingsResponse>> {
        const OPERATION: &str = "DescribeImageScanFindings";
        let request = self.clone();
        let Some(mut merged) = self.send().await? else {
            return Ok(None);
        };
        let mut seen = std::collections::HashSet::new();
        while let Some(token) = merged.next_token.take().filter(|t| !t.is_empty()) {
            if !seen.insert(token.clone()) {
                return Err(Error::deserialize(
                    OPERATION,
                    format!("AWS repeated the page token {token:?}"),
                    b"",
                ));
            }
            let Some(page) = request.clone().next_token(token).send().await? else {
                return Err(Error::missing_in_response(
                    OPERATION,
                    "a later page says the image was never scanned",
                ));
            };
            merged.next_token = page.next_token;
            let Some(more) = page.image_scan_findings else {
                continue;
            };
            let findings = merged
                .image_scan_findings
                .get_or_insert_with(Default::default);
            if let Some(list) = more.findings {
                findings.findings.get_or_insert_with(Vec::new).extend(list);
            }
            if let Some(list) = more.enhanced_findings {
                findings
                    .enhanced_findings
                    .get_or_insert_with(Vec::new)
                    .extend(list);
            }
        }
        Ok(Some(merged))
    }
}

/// Turns the per-image `failures` of `BatchDeleteImage`/`BatchGetImage` into an
/// error: `ImageNotFound` becomes [`Error::NotFound`], anything else
/// [`Error::Service`] with the failure code; several failures are an
/// [`Error::Partial`] with one such error each (and nothing in `done`: add
/// what the call did). `None` when there are none.
pub fn image_failures_to_error(
    operation: &str,
    repository_name: &str,
    failures: &[ImageFailure],
) -> Option<Error> {
    match failures {
        [] => None,
        [one] => Some(image_failure_error(operation, repository_name, one)),
        many => Some(Error::Partial {
            service: crate::SERVICE.name,
            operation: operation.to_owned(),
            done: Vec::new(),
            failures: many
                .iter()
                .map(|f| image_failure_error(operation, repository_name, f))
                .collect(),
        }),
    }
}

/// The error of one per-image failure.
fn image_failure_error(operation: &str, repository_name: &str, f: &ImageFailure) -> Error {
    let code = f
        .failure_code
        .as_ref()
        .map(|c| c.as_str().to_owned())
        .unwrap_or_else(|| "UNKNOWN".into());
    let id = f
        .image_id
        .as_ref()
        .map(|i| i.to_string())
        .unwrap_or_default();
    let key = format!("{repository_name}/{id}");
    if f.failure_code == Some(ImageFailureCode::ImageNotFound) {
        return Error::NotFound {
            service: crate::SERVICE.name,
            resource: "EcrImage",
            key,
            code: Some(code),
            message: f.failure_reason.clone(),
            request_id: None,
        };
    }
    Error::Service {
        service: crate::SERVICE.name,
        operation: operation.to_owned(),
        code,
        message: format!("{key}: {}", f.failure_reason.as_deref().unwrap_or("")),
        request_id: None,
        status: 200,
    }
}

/// [`EcrImage::uri`] in `region`.
fn image_uri(image: &EcrImage, region: &str) -> Result<String> {
    let needs =
        |what: &str| Error::validation(format!("EcrImage::uri needs `{what}`, which is not set"));
    let registry = image
        .registry_id
        .as_deref()
        .filter(|r| !r.is_empty())
        .ok_or_else(|| needs("registryId"))?;
    let repository = image
        .repository_name
        .as_deref()
        .filter(|r| !r.is_empty())
        .ok_or_else(|| needs("repositoryName"))?;
    let domain = botocraft_transport::config::dns_suffix(region);
    let base = format!("{registry}.dkr.ecr.{region}.{domain}/{repository}");
    match (image.version(), image.image_digest.as_deref()) {
        (Some(tag), _) => Ok(format!("{base}:{tag}")),
        (None, Some(digest)) => Ok(format!("{base}@{digest}")),
        (None, None) => Err(needs("imageTags` or `imageDigest")),
    }
}

impl EcrImage {
    /// The identifier of this image: its digest.
    pub fn image_id(&self) -> Option<ImageIdentifier> {
        self.image_digest.clone().map(ImageIdentifier::digest)
    }

    /// The first tag of the image (the Python original's `version`).
    pub fn version(&self) -> Option<&str> {
        self.image_tags.as_ref()?.first().map(String::as_str)
    }

    /// The reference `docker pull` and a container definition's `image`
    /// take: `<registry>.dkr.ecr.<region>.<domain>/<repository>:<tag>`
    /// with the image's first tag ([`Self::version`]), or `@<digest>` for
    /// an untagged image. The region (and so the domain) is that of the
    /// session the image came from, else of the default session; the
    /// Python original's `name`.
    ///
    /// A [`Error::Validation`] when the image lacks its registry or
    /// repository, or has neither tag nor digest.
    pub fn uri(&self) -> Result<String> {
        let session = match self.state().session() {
            Some(session) => session.clone(),
            None => botocraft_transport::default_session()?,
        };
        image_uri(self, session.region())
    }

    /// Deletes this image (`BatchDeleteImage`, by digest). A per-image failure
    /// is an error (`ImageNotFound` is [`Error::NotFound`]); afterwards a
    /// later `save()` would not recreate it (images have no create). An
    /// image keeps no record of what it was fetched as: this deletes the
    /// image its `repository_name` and `image_digest` name now.
    #[cfg_attr(not(debug_assertions), inline)]
    pub async fn delete(&mut self) -> Result<()> {
        let repo = self.repository_name.clone().ok_or_else(|| {
            Error::validation("EcrImage.delete() needs `repositoryName`, which is not set")
        })?;
        let digest = self.image_digest.clone().ok_or_else(|| {
            Error::validation("EcrImage.delete() needs `imageDigest`, which is not set")
        })?;
        let mut request = self
            .manager()
            .delete(repo.clone(), ImageIdentifier::digest(digest));
        // The registry the image is in: without it AWS looks in the caller's own.
        if let Some(registry) = self.registry_id.clone().filter(|r| !r.is_empty()) {
            request = request.registry_id(registry);
        }
        // A per-image failure is the call's error.
        request.send().await?;
        self.state_mut().mark_deleted();
        Ok(())
    }

    /// The image manifest (`BatchGetImage`), whatever its kind: the request
    /// accepts every manifest type ECR stores ([`MANIFEST_MEDIA_TYPES`]:
    /// Docker v2 and v1, Docker manifest lists, OCI manifests and indexes),
    /// so a multi-arch or OCI image gives its manifest rather than a failure.
    /// A per-image failure AWS reports is an error ([`image_failures_to_error`]:
    /// `ImageNotFound` is [`Error::NotFound`], anything else, such as
    /// `UnsupportedImageType`, [`Error::Service`] with its code); an answer
    /// with neither a manifest nor a failure is a response error
    /// ([`Error::missing_in_response`]), never a silent empty manifest.
    #[cfg_attr(not(debug_assertions), inline)]
    pub async fn manifest(&self) -> Result<String> {
        botocraft_core::trace::in_method(crate::SERVICE.name, "EcrImage", "manifest", async move {
            const OP: &str = "BatchGetImage";
            let repo = self.repository_name.clone().ok_or_else(|| {
                Error::validation("EcrImage.manifest() needs `repositoryName`, which is not set")
            })?;
            let id = self.image_id().ok_or_else(|| {
                Error::validation("EcrImage.manifest() needs `imageDigest`, which is not set")
            })?;
            // Sent by hand below, not through `send()`: the same check of a
            // blank repository name as every generated method makes.
            botocraft_core::error::refuse_blank(
                std::slice::from_ref(&repo),
                "EcrImage.manifest()",
                "repositoryName",
            )?;
            botocraft_core::error::refuse_blank(
                id.image_digest.as_slice(),
                "EcrImage.manifest()",
                "imageDigest",
            )?;
            let key = format!("{repo}/{id}");
            // The request `get_manifests` sends (every media type), read here
            // by hand: its per-image failure is this call's error, where
            // `get_manifests` leaves a missing image out.
            let mut input = self
                .manager()
                .get_manifests(repo.clone(), [id])
                .input()
                .clone();
            input.registry_id = self.registry_id.clone().filter(|r| !r.is_empty());
            let session = self.manager().session()?;
            let out =
                call::<_, BatchGetImageResponse>(&*session, &crate::SERVICE, OP, None, &input)
                    .await
                    .map_err(|e| {
                        botocraft_core::error::map_not_found(
                            e,
                            &["ImageNotFoundException", "RepositoryNotFoundException"],
                            "EcrImage",
                            &key,
                        )
                    })?;
            if let Some(manifest) = out
                .images
                .into_iter()
                .flatten()
                .find_map(|i| i.image_manifest)
            {
                return Ok(manifest);
            }
            if let Some(e) =
                image_failures_to_error(OP, &repo, out.failures.as_deref().unwrap_or(&[]))
            {
                return Err(e);
            }
            Err(Error::missing_in_response(
                OP,
                format!("the response has neither a manifest nor a failure for {key}"),
            ))
        })
        .await
    }

    /// Waits until the image's scan is complete (the `ImageScanComplete`
    /// waiter: polls `DescribeImageScanFindings` every 5 s, at most 60 times by
    /// default). Besides botocore's `COMPLETE`, an enhanced (continuous)
    /// scan's `ACTIVE` is done too, since its findings are there and the
    /// status stays `ACTIVE`; `FAILED` and the statuses that say no scan will
    /// come (`UNSUPPORTED_IMAGE`, `SCAN_ELIGIBILITY_EXPIRED`,
    /// `FINDINGS_UNAVAILABLE`, `LIMIT_EXCEEDED`, `IMAGE_ARCHIVED`,
    /// `IMAGE_SIZE_EXCEEDED`) are a waiter failure at once, not five minutes
    /// of polls. A missing image or repository is [`Error::NotFound`] of
    /// `EcrImage`; a blank repository name or digest is refused unsent.
    #[cfg_attr(not(debug_assertions), inline)]
    pub fn wait_until_scan_complete(&self) -> Waiter<DescribeImageScanFindingsResponse> {
        const OP: &str = "DescribeImageScanFindings";
        const ACCEPTORS: &[Acceptor] = &[
            Acceptor {
                matcher: "path",
                argument: "imageScanStatus.status",
                state: "success",
                expected: "\"COMPLETE\"",
            },
            Acceptor {
                matcher: "path",
                argument: "imageScanStatus.status",
                state: "success",
                expected: "\"ACTIVE\"",
            },
            Acceptor {
                matcher: "path",
                argument: "imageScanStatus.status",
                state: "failure",
                expected: "\"FAILED\"",
            },
            Acceptor {
                matcher: "path",
                argument: "imageScanStatus.status",
                state: "failure",
                expected: "\"UNSUPPORTED_IMAGE\"",
            },
            Acceptor {
                matcher: "path",
                argument: "imageScanStatus.status",
                state: "failure",
                expected: "\"SCAN_ELIGIBILITY_EXPIRED\"",
            },
            Acceptor {
                matcher: "path",
                argument: "imageScanStatus.status",
                state: "failure",
                expected: "\"FINDINGS_UNAVAILABLE\"",
            },
            Acceptor {
                matcher: "path",
                argument: "imageScanStatus.status",
                state: "failure",
                expected: "\"LIMIT_EXCEEDED\"",
            },
            Acceptor {
                matcher: "path",
                argument: "imageScanStatus.status",
                state: "failure",
                expected: "\"IMAGE_ARCHIVED\"",
            },
            Acceptor {
                matcher: "path",
                argument: "imageScanStatus.status",
                state: "failure",
                expected: "\"IMAGE_SIZE_EXCEEDED\"",
            },
        ];
        let (Some(repo), Some(id)) = (self.repository_name.clone(), self.image_id()) else {
            return Waiter::failed(
                OP,
                Error::validation(
                    "EcrImage.wait_until_scan_complete needs `repositoryName` and `imageDigest`",
                ),
            );
        };
        let blank = botocraft_core::error::refuse_blank(
            std::slice::from_ref(&repo),
            "EcrImage.wait_until_scan_complete()",
            "repositoryName",
        )
        .and_then(|()| {
            botocraft_core::error::refuse_blank(
                id.image_digest.as_slice(),
                "EcrImage.wait_until_scan_complete()",
                "imageDigest",
            )
        });
        if let Err(e) = blank {
            return Waiter::failed(OP, e);
        }
        // `repo@sha256:..` (or `repo:tag`), as `docker pull` names it.
        let about = match (&id.image_digest, &id.image_tag) {
            (Some(digest), _) => format!("{repo}@{digest}"),
            (None, Some(tag)) => format!("{repo}:{tag}"),
            (None, None) => repo.clone(),
        };
        let input = DescribeImageScanFindingsRequest {
            repository_name: Some(repo),
            image_id: Some(id),
            registry_id: self.registry_id.clone().filter(|r| !r.is_empty()),
            ..Default::default()
        };
        let session = self.state().session().cloned();
        let key = about.clone();
        Waiter::new(
            OP,
            ACCEPTORS,
            std::time::Duration::from_secs(5),
            60,
            move || {
                let session = session.clone();
                let input = input.clone();
                let key = key.clone();
                async move {
                    let session = match session {
                        Some(s) => s,
                        None => botocraft_transport::default_session()?,
                    };
                    call::<_, DescribeImageScanFindingsResponse>(
                        &*session,
                        &crate::SERVICE,
                        OP,
                        None,
                        &input,
                    )
                    .await
                    .map_err(|e| {
                        botocraft_core::error::map_not_found(
                            e,
                            &["ImageNotFoundException", "RepositoryNotFoundException"],
                            "EcrImage",
                            &key,
                        )
                    })
                }
            },
        )
        .about(crate::SERVICE.name, "EcrImage", about)
        .method(crate::SERVICE.name, "EcrImage", "wait_until_scan_complete")
    }
}

impl EcrImageManager {
    /// The image an [`EcrImageKey`] names (`DescribeImages` by digest in its
    /// repository): a model's `pk()`, or a key read back from its text
    /// (`"team/web/sha256:..".parse::<EcrImageKey>()?`), fetched again.
    #[cfg_attr(not(debug_assertions), inline)]
    pub fn get_by_key(&self, key: &EcrImageKey) -> crate::EcrImageGet {
        self.get(
            key.repository_name.as_str(),
            ImageIdentifier::digest(key.image_digest.as_str()),
        )
    }

    /// Pushes an image manifest (`PutImage`; `.tag(..)` tags it), then
    /// describes the image, so the awaited answer is the full model.
    ///
    /// ```no_run
    /// # mod botocraft { pub(crate) use ::botocraft_ecr as ecr; pub(crate) use ::botocraft_core::Result; }
    /// # async fn demo(manifest: String) -> botocraft::Result<()> {
    /// use botocraft::ecr::EcrImage;
    ///
    /// let image = EcrImage::objects().put("web", manifest).tag("1.4.2").await?;
    /// println!("{:?}", image.image_digest);
    /// # Ok(()) }
    /// ```
    ///
    /// The push is never lost: when the image cannot be described (AWS's
    /// reads lag behind the push, tried again for about two seconds; or the
    /// describe fails otherwise, a role allowed `ecr:PutImage` but not
    /// `ecr:DescribeImages`), the answer is the image as the push answered
    /// it (its registry, repository, digest and tag, without its size or
    /// push time), with a warning logged.
    #[cfg_attr(not(debug_assertions), inline)]
    pub fn put(
        &self,
        repository_name: impl Into<String>,
        image_manifest: impl Into<String>,
    ) -> EcrImagePut {
        let repository_name = repository_name.into();
        EcrImagePut {
            manager: self.clone(),
            put: self.put_image(repository_name.clone(), image_manifest),
            repository_name,
        }
    }
}

/// The request built by [`EcrImageManager::put`]: set optional arguments,
/// then `.await` it.
#[must_use = "a request does nothing until it is awaited"]
#[derive(Debug, Clone)]
pub struct EcrImagePut {
    manager: EcrImageManager,
    put: crate::EcrImagePutImage,
    repository_name: String,
}

impl EcrImagePut {
    /// The `PutImage` input as it will be sent.
    pub fn input(&self) -> &crate::PutImageRequest {
        self.put.input()
    }

    /// Tags the image (`imageTag`).
    pub fn tag(mut self, tag: impl Into<String>) -> Self {
        self.put = self.put.image_tag(tag);
        self
    }

    /// The manifest's media type, for a manifest without a `mediaType`
    /// field (`imageManifestMediaType`).
    pub fn media_type(mut self, media_type: impl Into<String>) -> Self {
        self.put = self.put.image_manifest_media_type(media_type);
        self
    }

    /// The digest the manifest must have (`imageDigest`).
    pub fn digest(mut self, digest: impl Into<String>) -> Self {
        self.put = self.put.image_digest(digest);
        self
    }

    /// Pushes to another account's registry (`registryId`); the image is
    /// then described there too.
    pub fn registry_id(mut self, registry_id: impl Into<String>) -> Self {
        self.put = self.put.registry_id(registry_id);
        self
    }

    /// Sends the request.
    pub fn send(self) -> botocraft_core::trace::MethodFuture<'static, Result<EcrImage>> {
        botocraft_core::trace::method(crate::SERVICE.name, "EcrImage", "put", Box::pin(self.run()))
    }

    async fn run(self) -> Result<EcrImage> {
        let EcrImagePut {
            manager,
            put,
            repository_name,
        } = self;
        // A tag given blank names nothing: refused, as a blank argument is.
        if let Some(tag) = &put.input().image_tag {
            botocraft_core::error::refuse_blank(
                std::slice::from_ref(tag),
                "EcrImage::objects().put",
                "tag",
            )?;
        }
        let registry_id = put.input().registry_id.clone();
        let pushed = put.send().await?;
        let digest = pushed
            .image_id
            .as_ref()
            .and_then(|i| i.image_digest.clone())
            .ok_or_else(|| {
                Error::missing_in_response(
                    "PutImage",
                    "the response has no image.imageId.imageDigest",
                )
            })?;
        let session = manager.session()?;
        let manager = manager.using(&session);
        botocraft_core::manager::describe_created(
            "PutImage",
            &digest,
            || {
                let get = manager.get(
                    repository_name.clone(),
                    ImageIdentifier::digest(digest.as_str()),
                );
                match &registry_id {
                    Some(registry) => get.registry_id(registry.clone()).send(),
                    None => get.send(),
                }
            },
            || {
                let tag = pushed.image_id.as_ref().and_then(|i| i.image_tag.clone());
                Ok(EcrImage {
                    registry_id: pushed.registry_id.clone().or(registry_id.clone()),
                    repository_name: Some(repository_name.clone()),
                    image_digest: Some(digest.clone()),
                    image_tags: tag.map(|t| vec![t]),
                    image_manifest_media_type: pushed.image_manifest_media_type.clone(),
                    ..Default::default()
                }
                .into_fetched(&session))
            },
        )
        .await
    }
}

impl std::future::IntoFuture for EcrImagePut {
    type Output = Result<EcrImage>;
    type IntoFuture = botocraft_core::trace::MethodFuture<'static, Result<EcrImage>>;

    fn into_future(self) -> Self::IntoFuture {
        self.send()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn image(tags: &[&str], digest: Option<&str>) -> EcrImage {
        EcrImage {
            registry_id: Some("123456789012".into()),
            repository_name: Some("team/web".into()),
            image_tags: Some(tags.iter().map(|t| t.to_string()).collect()),
            image_digest: digest.map(Into::into),
            ..Default::default()
        }
    }

    #[test]
    fn uri_names_the_first_tag_else_the_digest() {
        assert_eq!(
            image_uri(&image(&["1.4.2", "latest"], Some("sha256:ab")), "us-west-2").unwrap(),
            "123456789012.dkr.ecr.us-west-2.amazonaws.com/team/web:1.4.2"
        );
        assert_eq!(
            image_uri(&image(&[], Some("sha256:ab")), "us-west-2").unwrap(),
            "123456789012.dkr.ecr.us-west-2.amazonaws.com/team/web@sha256:ab"
        );
    }

    #[test]
    fn uri_is_in_the_regions_partition() {
        assert_eq!(
            image_uri(&image(&["v1"], None), "cn-north-1").unwrap(),
            "123456789012.dkr.ecr.cn-north-1.amazonaws.com.cn/team/web:v1"
        );
    }

    #[test]
    fn uri_of_an_image_without_tag_or_digest_is_a_validation_error() {
        let err = image_uri(&image(&[], None), "us-east-1").unwrap_err();
        assert!(matches!(err, Error::Validation { .. }), "{err:?}");
        let mut no_registry = image(&["v1"], None);
        no_registry.registry_id = None;
        let err = image_uri(&no_registry, "us-east-1").unwrap_err();
        assert!(err.to_string().contains("registryId"), "{err}");
    }
}
