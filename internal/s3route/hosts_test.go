package s3route_test

import (
	"strconv"
	"strings"
	"testing"

	"github.com/s3cors/s3cors/internal/s3route"
)

func TestHosts(t *testing.T) {
	t.Parallel()
	rt, err := s3route.New([]string{"s3.example.com"})
	if err != nil {
		t.Fatal(err)
	}
	listed := s3route.NewHosts([]string{"localhost", "[::1]", "Proxy.Example.COM."}, rt)
	any := s3route.NewHosts([]string{"localhost", "*"}, rt)
	for _, c := range []struct {
		host        string
		listed, any bool
	}{
		{"localhost:9000", true, true},
		{"LOCALHOST.", true, true},
		{"[::1]:9000", true, true},
		{"::1", true, true},
		{"proxy.example.com:443", true, true},
		{"photos.s3.example.com", true, true},
		// The domain itself names no bucket: path style, as at
		// s3.amazonaws.com, which SDKs send ListBuckets to and the
		// requests for a bucket whose name is no DNS label.
		{"s3.example.com", true, true},
		{"S3.Example.Com.:9000", true, true},
		{"example.com", false, true},
		{"evils3.example.com", false, true},
		{".s3.example.com", false, true}, // an empty label names no bucket
		{"attacker.example", false, true},
		{"", false, true},
		// Brackets hold an IP literal, never a bucket under a domain;
		// nor is a final dot after them the name's (see TestAddress).
		{"[photos.s3.example.com]", false, true},
		{"[photos.s3.example.com]:443", false, true},
		{"[::1].", false, true},
		{"[::1].:9000", false, true},
		{"[::1", false, true},
	} {
		if got := listed.Allow(c.host); got != c.listed {
			t.Errorf("listed.Allow(%q) = %v", c.host, got)
		}
		if got := any.Allow(c.host); got != c.any {
			t.Errorf("any.Allow(%q) = %v", c.host, got)
		}
	}
}

func TestValidBucketName(t *testing.T) {
	t.Parallel()
	for name, want := range map[string]bool{
		"photos": true, "My_Legacy.Bucket-1": true, strings.Repeat("a", 255): true,
		// Each end of the ranges of S3's legacy rules: letters of either
		// case and digits.
		"az": true, "AZ": true, "09": true,
		"a@": false, "a[": false, "a`": false, "a{": false, "a/": false, "a:": false,
		"": false, strings.Repeat("a", 256): false, "a/b": false, "a b": false, "caf\u00e9": false,
	} {
		if got := s3route.ValidBucketName(name); got != want {
			t.Errorf("ValidBucketName(%q) = %v, want %v", name, got, want)
		}
	}
}

func TestValidHost(t *testing.T) {
	t.Parallel()
	for host, want := range map[string]bool{
		"s3.test": true, "localhost": true, "localhost.": true, "127.0.0.1": true, "::1": true, "[::1]": true,
		"[::1]:9000": true, "s3.test:9000": true, "minio_1": true, "S3.Test": true,
		"": false, "http://s3.test": false, "s3.test/path": false, "a b": false, "s3.test:port": false,
		"s3.test:99999": false, "-a.test": false, "[::1": false,
		// A DNS label holds 63 octets at most (RFC 1035, 2.3.4).
		strings.Repeat("a", 63) + ".test": true, strings.Repeat("a", 64) + ".test": false,
		// Each end of the ranges of letters and digits, and the characters
		// just outside them.
		"az.test": true, "AZ.test": true, "09.test": true,
		"a@.test": false, "a[.test": false, "a`.test": false, "a{.test": false, "a/b.test": false, "a:b.test": false,
	} {
		t.Run(host, func(t *testing.T) {
			t.Parallel()
			if got := s3route.ValidHost(host); got != want {
				t.Errorf("ValidHost(%q) = %v, want %v", host, got, want)
			}
			err := s3route.CheckAllowedHosts([]string{"*", "s3.test", host})
			if (err == nil) != want || err != nil && !strings.Contains(err.Error(), strconv.Quote(host)+" is not a host name or address") {
				t.Errorf("CheckAllowedHosts of %q: %v, want ok %v", host, err, want)
			}
		})
	}
}
