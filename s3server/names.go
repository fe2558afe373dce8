package s3server

import "github.com/s3cors/s3cors/internal/s3route"

// validBucketName reports whether name could name an existing bucket
// ([s3route.ValidBucketName]). A request for another name is refused with
// InvalidBucketName; one that passes but names no bucket gets
// NoSuchBucket.
//
// Every name a bucket is stored under passed [storage.ValidBucketName], so no
// name this function accepts can reach a path outside the data
// directory: the storage never builds a path from a name it has not found
// in its index.
var validBucketName = s3route.ValidBucketName

// creatableBucketName reports whether CreateBucket takes name
// ([s3route.CreatableBucketName]): fewer names than a data directory may
// hold ([storage.ValidBucketName]).
var creatableBucketName = s3route.CreatableBucketName

// checkKey returns S3's error for an unusable object key, or nil
// ([s3route.KeyError]).
var checkKey = s3route.KeyError
