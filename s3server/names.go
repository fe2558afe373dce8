package s3server

import (
	"net/http"
	"net/netip"
	"strings"
	"unicode/utf8"

	"github.com/s3cors/s3cors/s3err"
)

// maxKeyLen is S3's limit on the length of an object key, in bytes of
// UTF-8.
const maxKeyLen = 1024

// validNewBucketName reports whether name follows S3's naming rules for a
// new general purpose bucket
// (https://docs.aws.amazon.com/AmazonS3/latest/userguide/bucketnamingrules.html):
// 3 to 63 characters; lower-case letters, digits, '.' and '-'; starting
// and ending with a letter or digit; no two adjacent periods; not shaped
// like an IPv4 address; none of the prefixes and suffixes S3 reserves.
func validNewBucketName(name string) bool {
	if len(name) < 3 || len(name) > 63 {
		return false
	}
	for i := 0; i < len(name); i++ {
		c := name[i]
		if !isLowerAlnum(c) && c != '.' && c != '-' {
			return false
		}
	}
	if !isLowerAlnum(name[0]) || !isLowerAlnum(name[len(name)-1]) || strings.Contains(name, "..") {
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

func isLowerAlnum(c byte) bool { return 'a' <= c && c <= 'z' || '0' <= c && c <= '9' }

// validBucketName reports whether name could name an existing bucket:
// S3's legacy rules, which buckets made in us-east-1 before 2018 still
// follow (1 to 255 letters of either case, digits, '.', '-' and '_').
// A request for another name is refused with InvalidBucketName; one that
// passes but names no bucket gets NoSuchBucket.
//
// UNVERIFIED: which rules S3 applies to requests other than CreateBucket
// was not captured; this choice keeps every name that could exist on S3.
//
// Every name a bucket is stored under passed [validNewBucketName], so no
// name this function accepts can reach a path outside the data
// directory: the storage never builds a path from a name it has not found
// in its index.
func validBucketName(name string) bool {
	if name == "" || len(name) > 255 {
		return false
	}
	for i := 0; i < len(name); i++ {
		c := name[i]
		if !isLowerAlnum(c) && !('A' <= c && c <= 'Z') && c != '.' && c != '-' && c != '_' {
			return false
		}
	}
	return true
}

// checkKey returns S3's error for an unusable object key, or nil.
//
// UNVERIFIED: S3's answer for a key that is not UTF-8 was not captured;
// such a key cannot be listed in XML, so it is refused as an unparsable
// URI.
func checkKey(key string) *s3err.Error {
	if len(key) > maxKeyLen {
		return errKeyTooLong(len(key))
	}
	if !utf8.ValidString(key) {
		return s3err.New(http.StatusBadRequest, "InvalidURI", msgInvalidURI)
	}
	return nil
}
