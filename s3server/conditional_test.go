package s3server_test

import (
	"context"
	"errors"
	"strings"
	"sync"
	"testing"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/s3"
	"github.com/aws/smithy-go"

	"github.com/s3cors/s3cors/s3server/s3servertest"
)

// TestConditionalWrites sends S3's conditional writes (If-None-Match: *
// and If-Match) with each operation that takes them, over a free key and
// over a key that holds an object: a write whose condition fails changes
// nothing and gets S3's error (412 PreconditionFailed naming the header,
// 404 NoSuchKey for If-Match over a free key).
func TestConditionalWrites(t *testing.T) {
	t.Parallel()
	ts := anonServer(t)
	mustStatus(t, ts.do("PUT", "/cond", nil), 200)
	mustStatus(t, ts.do("PUT", "/cond/source", []byte("new")), 200)
	// Each operation writes "new" under key, with the headers given,
	// failing the subtest t that it runs in.
	ops := []struct {
		name  string
		write func(t *testing.T, key string, header ...string) response
	}{
		{"PutObject", func(_ *testing.T, key string, header ...string) response {
			return ts.do("PUT", "/cond/"+key, []byte("new"), header...)
		}},
		{"CopyObject", func(_ *testing.T, key string, header ...string) response {
			return ts.do("PUT", "/cond/"+key, nil, append(header, "x-amz-copy-source", "/cond/source")...)
		}},
		{"CompleteMultipartUpload", func(t *testing.T, key string, header ...string) response {
			id := createUpload(t, ts, "/cond/"+key)
			etag := putPart(t, ts, "/cond/"+key, id, 1, []byte("new"))
			return ts.do("POST", "/cond/"+key+"?uploadId="+id, completeBody("1", etag), header...)
		}},
	}
	oldETag := md5ETag([]byte("old"))
	cases := []struct {
		name    string
		exists  bool
		header  []string
		status  int
		want    string // the error document; "" for success
		written bool
	}{
		{"If-None-Match: * over a free key", false, []string{"If-None-Match", "*"}, 200, "", true},
		{"If-None-Match: * over an object", true, []string{"If-None-Match", "*"}, 412,
			errorDoc("PreconditionFailed", "At least one of the pre-conditions you specified did not hold", "Condition", "If-None-Match"), false},
		{"If-Match with its ETag", true, []string{"If-Match", oldETag}, 200, "", true},
		{"If-Match with its ETag unquoted, among others", true, []string{"If-Match", `"0123", ` + strings.Trim(oldETag, `"`)}, 200, "", true},
		// A weak tag fails the strong comparison of If-Match (UNVERIFIED
		// against S3; see TestPreconditionsWeakETag).
		{"If-Match with its ETag weak", true, []string{"If-Match", "W/" + oldETag}, 412,
			errorDoc("PreconditionFailed", "At least one of the pre-conditions you specified did not hold", "Condition", "If-Match"), false},
		{"If-Match with another ETag", true, []string{"If-Match", md5ETag([]byte("other"))}, 412,
			errorDoc("PreconditionFailed", "At least one of the pre-conditions you specified did not hold", "Condition", "If-Match"), false},
		{"If-Match over a free key", false, []string{"If-Match", oldETag}, 404,
			errorDoc("NoSuchKey", "The specified key does not exist.", "Key", "KEY"), false},
		// S3 takes only "*" in a write's If-None-Match, and not with
		// If-Match, whether or not the conditions would hold (localstack,
		// checked against S3; the details UNVERIFIED).
		{"If-None-Match with an ETag", true, []string{"If-None-Match", oldETag}, 501,
			errorDoc("NotImplemented", "A header you provided implies functionality that is not implemented", "Header", "If-None-Match",
				"additionalMessage", "We don't accept the provided value of If-None-Match header for this API"), false},
		{"If-Match with its ETag and If-None-Match: *", true, []string{"If-Match", oldETag, "If-None-Match", "*"}, 501,
			errorDoc("NotImplemented", "A header you provided implies functionality that is not implemented", "Header", "If-Match,If-None-Match",
				"additionalMessage", "Multiple conditional request headers present in the request"), false},
		{"If-Match and If-None-Match: * over a free key", false, []string{"If-Match", oldETag, "If-None-Match", "*"}, 501,
			errorDoc("NotImplemented", "A header you provided implies functionality that is not implemented", "Header", "If-Match,If-None-Match",
				"additionalMessage", "Multiple conditional request headers present in the request"), false},
	}
	for _, op := range ops {
		for i, c := range cases {
			t.Run(op.name+"/"+c.name, func(t *testing.T) {
				t.Parallel()
				ts := ts.with(t)
				key := strings.ToLower(op.name) + "-" + string(rune('a'+i))
				if c.exists {
					mustStatus(t, ts.do("PUT", "/cond/"+key, []byte("old")), 200)
				}
				r := op.write(t, key, c.header...)
				if c.want == "" {
					mustStatus(t, r, c.status)
				} else {
					mustError(t, r, c.status, strings.Replace(c.want, "KEY", key, 1))
				}
				got := ts.do("GET", "/cond/"+key, nil)
				switch {
				case c.written && string(got.body) != "new":
					t.Errorf("after the write: %s, want the new object", got)
				case !c.written && c.exists && string(got.body) != "old":
					t.Errorf("after the refused write: %s, want the old object", got)
				case !c.written && !c.exists && got.StatusCode != 404:
					t.Errorf("after the refused write: %s, want no object", got)
				}
			})
		}
	}
}

// TestConditionalWritesRace sends many PutObjects with If-None-Match: *
// for one free key at once, through aws-sdk-go-v2: exactly one is made,
// and every other gets PreconditionFailed.
func TestConditionalWritesRace(t *testing.T) {
	t.Parallel()
	ts := anonServer(t)
	client := s3servertest.Client(ts.Server, "", "")
	ctx := context.Background()
	if _, err := client.CreateBucket(ctx, &s3.CreateBucketInput{Bucket: aws.String("race")}); err != nil {
		t.Fatal(err)
	}
	const writers = 16
	errs := make([]error, writers)
	var wg sync.WaitGroup
	for i := range writers {
		wg.Go(func() {
			_, errs[i] = client.PutObject(ctx, &s3.PutObjectInput{Bucket: aws.String("race"), Key: aws.String("once"),
				Body: strings.NewReader(strings.Repeat("x", i)), IfNoneMatch: aws.String("*")})
		})
	}
	wg.Wait()
	made := 0
	for i, err := range errs {
		var ae smithy.APIError
		switch {
		case err == nil:
			made++
		case !errors.As(err, &ae) || ae.ErrorCode() != "PreconditionFailed":
			t.Errorf("writer %d: %v, want PreconditionFailed", i, err)
		}
	}
	if made != 1 {
		t.Errorf("%d writes of %d made, want exactly one", made, writers)
	}
}

// TestConditionalDeletes sends DeleteObject with If-Match, and
// DeleteObjects with an ETag for some objects: an object is deleted only
// if it has the ETag named; one that has another keeps, with 412
// PreconditionFailed, and a free key named with an ETag gets NoSuchKey
// (UNVERIFIED, as a conditional write over a free key does), each for
// its key in DeleteObjects' result.
func TestConditionalDeletes(t *testing.T) {
	t.Parallel()
	ts := anonServer(t)
	mustStatus(t, ts.do("PUT", "/cdel", nil), 200)
	for _, k := range []string{"a", "b", "c", "d", "e", "f"} {
		mustStatus(t, ts.do("PUT", "/cdel/"+k, []byte(k)), 200)
	}
	precondition := func(cond string) string {
		return errorDoc("PreconditionFailed", "At least one of the pre-conditions you specified did not hold", "Condition", cond)
	}
	mustError(t, ts.do("DELETE", "/cdel/a", nil, "If-Match", md5ETag([]byte("other"))), 412, precondition("If-Match"))
	mustError(t, ts.do("DELETE", "/cdel/never", nil, "If-Match", md5ETag([]byte("a"))), 404,
		errorDoc("NoSuchKey", "The specified key does not exist.", "Key", "never"))
	mustStatus(t, ts.do("GET", "/cdel/a", nil), 200)
	mustStatus(t, ts.do("DELETE", "/cdel/a", nil, "If-Match", md5ETag([]byte("a"))), 204)
	mustStatus(t, ts.do("DELETE", "/cdel/b", nil, "If-Match", "*"), 204)
	for _, k := range []string{"a", "b"} {
		mustStatus(t, ts.do("GET", "/cdel/"+k, nil), 404)
	}

	body := []byte(`<Delete><Object><Key>c</Key><ETag>` + md5ETag([]byte("c")) + `</ETag></Object>` +
		`<Object><Key>d</Key><ETag>` + md5ETag([]byte("other")) + `</ETag></Object>` +
		`<Object><Key>never</Key></Object><Object><Key>gone</Key><ETag>"0123"</ETag></Object>` +
		`<Object><Key>e</Key></Object></Delete>`)
	r := ts.do("POST", "/cdel?delete", body, "Content-MD5", contentMD5(body))
	want := `<?xml version="1.0" encoding="UTF-8"?>` + "\n" + `<DeleteResult xmlns="http://s3.amazonaws.com/doc/2006-03-01/">` +
		`<Deleted><Key>c</Key></Deleted>` +
		`<Error><Key>d</Key><Code>PreconditionFailed</Code><Message>At least one of the pre-conditions you specified did not hold</Message></Error>` +
		`<Deleted><Key>never</Key></Deleted>` +
		`<Error><Key>gone</Key><Code>NoSuchKey</Code><Message>The specified key does not exist.</Message></Error>` +
		`<Deleted><Key>e</Key></Deleted></DeleteResult>`
	if r.StatusCode != 200 || string(r.body) != want {
		t.Errorf("DeleteObjects:\n%s\nwant\n%s", r, want)
	}
	for k, status := range map[string]int{"c": 404, "d": 200, "e": 404, "f": 200} {
		if got := ts.do("GET", "/cdel/"+k, nil); got.StatusCode != status {
			t.Errorf("GET %s after DeleteObjects: %d, want %d", k, got.StatusCode, status)
		}
	}
	// Conditions S3 takes only in directory buckets are refused.
	dir := []byte(`<Delete><Object><Key>f</Key><Size>1</Size></Object></Delete>`)
	mustError(t, ts.do("POST", "/cdel?delete", dir, "Content-MD5", contentMD5(dir)), 501,
		errorDoc("NotImplemented", "A header you provided implies functionality that is not implemented"))
	mustStatus(t, ts.do("GET", "/cdel/f", nil), 200)
}
