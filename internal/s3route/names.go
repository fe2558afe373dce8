package s3route

import (
	"net/http"
	"net/netip"
	"strconv"
	"strings"
	"unicode/utf8"

	"github.com/s3cors/s3cors/internal/ascii"
	"github.com/s3cors/s3cors/s3err"
)

// MaxKeyLen is S3's limit on the length of an object key, in bytes of
// UTF-8.
const MaxKeyLen = 1024

// KeyError returns S3's error for an object key S3 would not take, or
// nil: 400 KeyTooLongError for one over MaxKeyLen bytes, 400 InvalidURI
// for one that is not UTF-8. s3cors serve refuses such a key on every
// operation at an object's path, a bucket's subresource read there
// (GET /b/k?cors) included, and the proxy, which answers ?cors itself,
// refuses it alike.
//
// UNVERIFIED: S3's answer for a key that is not UTF-8 was not captured;
// such a key cannot be listed in XML, so it is refused as an unparsable
// URI.
func KeyError(key string) *s3err.Error {
	if len(key) > MaxKeyLen {
		return s3err.New(http.StatusBadRequest, "KeyTooLongError", "Your key is too long.",
			"Size", strconv.Itoa(len(key)), "MaxSizeAllowed", strconv.Itoa(MaxKeyLen))
	}
	if !utf8.ValidString(key) {
		return s3err.New(http.StatusBadRequest, "InvalidURI", "Couldn't parse the specified URI.")
	}
	return nil
}

// CreatableBucketName reports whether name follows S3's naming rules for a
// new general purpose bucket
// (https://docs.aws.amazon.com/AmazonS3/latest/userguide/bucketnamingrules.html):
// 3 to 63 characters; lower-case letters, digits, '.' and '-'; starting
// and ending with a letter or digit; no two adjacent periods; no hyphen
// next to a period; not shaped like an IPv4 address; none of the
// prefixes and suffixes S3 reserves.
//
// UNVERIFIED: the rule on hyphens next to periods is not on the current
// naming page; S3's older guides give it ("my-.bucket.com" and
// "my.-bucket" are invalid), as CloudTrail's bucket naming requirements
// did, and ceph's s3-tests record S3's 400 InvalidBucketName for
// "foo-.bar" and "foo.-bar" (test_bucket_create_naming_dns_dash_dot and
// _dot_dash: "Should now pass on AWS"). No capture of today's S3 was
// found.
func CreatableBucketName(name string) bool {
	return StoredBucketName(name) && !strings.Contains(name, "-.") && !strings.Contains(name, ".-")
}

// StoredBucketName reports whether name may name a bucket that s3cors
// serve stored: CreatableBucketName's rules without the one on hyphens
// next to periods, which s3cors did not apply before, so that a data
// directory holding such a bucket still loads whole.
func StoredBucketName(name string) bool {
	if len(name) < 3 || len(name) > 63 {
		return false
	}
	for i := 0; i < len(name); i++ {
		c := name[i]
		if !ascii.IsLowerAlnum(c) && c != '.' && c != '-' {
			return false
		}
	}
	if !ascii.IsLowerAlnum(name[0]) || !ascii.IsLowerAlnum(name[len(name)-1]) || strings.Contains(name, "..") {
		return false
	}
	if _, err := netip.ParseAddr(name); err == nil {
		return false
	}
	for _, p := range reservedPrefixes {
		if strings.HasPrefix(name, p) {
			return false
		}
	}
	for _, s := range reservedSuffixes {
		if strings.HasSuffix(name, s) {
			return false
		}
	}
	return true
}

var (
	reservedPrefixes = []string{"xn--", "sthree-", "amzn-s3-demo-"}
	reservedSuffixes = []string{"-s3alias", "--ol-s3", ".mrap", "--x-s3", "--table-s3"}
)
