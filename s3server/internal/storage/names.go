package storage

import "github.com/s3cors/s3cors/internal/s3route"

// ValidBucketName reports whether name follows S3's naming rules for a
// new general purpose bucket, the names buckets are stored under: see
// [s3route.CreatableBucketName].
func ValidBucketName(name string) bool { return s3route.CreatableBucketName(name) }
