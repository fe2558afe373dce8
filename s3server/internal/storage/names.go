package storage

import "github.com/s3cors/s3cors/internal/s3route"

// ValidBucketName reports whether name may be a stored bucket's: see
// [s3route.StoredBucketName]. A new bucket's name is held to
// [s3route.CreatableBucketName], which takes fewer.
func ValidBucketName(name string) bool { return s3route.StoredBucketName(name) }
