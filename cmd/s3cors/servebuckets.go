package main

import (
	"bytes"
	"errors"
	"io"
	"os"
	"strings"

	"github.com/s3cors/s3cors/corsrule"
	"github.com/s3cors/s3cors/internal/s3route"
	"github.com/s3cors/s3cors/s3err"
	"github.com/s3cors/s3cors/s3server"
	"github.com/s3cors/s3cors/xmlconfig"
)

// exampleBucket is the bucket --example makes.
const exampleBucket = "example"

// bucketSetup is a bucket serve makes when it starts: --example's, or
// one --bucket names.
type bucketSetup struct {
	flag string // the flag that asks for it, as given: "--example", "--bucket photos=cors.json"
	name string
	acl  string // its canned ACL; "" for private, as CreateBucket without x-amz-acl
	// rules are its CORS configuration, valid, and from where they were
	// read, for the line serve prints; from is "" for a bucket without.
	rules []corsrule.Rule
	from  string
	// replace sets the rules on a bucket that exists too, as --bucket
	// NAME=FILE does; --example leaves a bucket that exists as it is,
	// with whatever was done to it since.
	replace bool
}

// exampleSetup is the bucket --example makes: "example", public-read,
// with the embedded example configuration.
func exampleSetup() bucketSetup {
	doc, err := xmlconfig.Decode(bytes.NewReader(exampleJSON))
	if err != nil {
		panic("s3cors: the embedded " + exampleName + " does not decode: " + err.Error()) // embedded: only a build mistake gets here
	}
	return bucketSetup{flag: "--example", name: exampleBucket, acl: "public-read", rules: doc.Rules, from: "the embedded " + exampleName}
}

// apply makes the bucket unless it exists, sets its CORS configuration,
// and prints one line that says what it did. The rules were judged
// already (see bucketCORS), so that only an I/O error of the data
// directory fails here.
func (b bucketSetup) apply(srv *s3server.Server, stdout io.Writer) error {
	err := srv.CreateBucket(b.name, b.acl)
	exists := false
	if e, ok := errors.AsType[*s3err.Error](err); ok && e.Code == "BucketAlreadyOwnedByYou" {
		exists, err = true, nil
	}
	if err != nil {
		return err
	}
	if exists && (b.from == "" || !b.replace) {
		printText(stdout, "s3cors: bucket %q exists: left as it is\n", b.name)
		return nil
	}
	if b.from != "" {
		if err := srv.PutBucketCors(b.name, b.rules); err != nil {
			return err
		}
	}
	acl := b.acl
	if acl == "" {
		acl = "private"
	}
	switch {
	case exists:
		printText(stdout, "s3cors: bucket %q exists: CORS replaced from %s (%s)\n", b.name, b.from, plural(len(b.rules), "rule"))
	case b.from == "":
		printText(stdout, "s3cors: bucket %q created: %s\n", b.name, acl)
	default:
		printText(stdout, "s3cors: bucket %q created: %s, CORS from %s (%s)\n", b.name, acl, b.from, plural(len(b.rules), "rule"))
	}
	return nil
}

// bucketSetups returns the buckets --example and the values of --bucket
// (NAME or NAME=FILE) ask for, in that order, or reports a usage error
// for the first value refused: a name S3's CreateBucket refuses, a name
// given twice, a FILE that cannot be read, or a configuration S3's
// PutBucketCors refuses. Every value is checked before serve makes any
// bucket, so that a mistake in the last leaves nothing half done.
func (c *command) bucketSetups(values []string, example bool) ([]bucketSetup, int, bool) {
	var setups []bucketSetup
	if example {
		setups = append(setups, exampleSetup())
	}
	seen := map[string]bool{}
	for _, v := range values {
		// A bucket name has no '=', a path may.
		name, file, withFile := strings.Cut(v, "=")
		switch {
		case !s3route.CreatableBucketName(name):
			return nil, c.usageError("--bucket %s: %q is not a valid bucket name (S3 would answer InvalidBucketName): 3 to 63 lower-case letters, digits, '.' and '-', starting and ending with a letter or digit, no '..' and no '-' next to '.', not an IP address, and without the prefixes and suffixes S3 reserves, such as xn-- or -s3alias", v, name), false
		case name == exampleBucket && example:
			return nil, c.usageError("--example creates the bucket %q, and --bucket %s names it too: give one of them", exampleBucket, v), false
		case seen[name]:
			return nil, c.usageError("--bucket %s: the bucket %q is given twice: give each bucket once", v, name), false
		case withFile && file == "":
			return nil, c.usageError(`--bucket %s: FILE is empty: give the file of the bucket's CORS configuration after "=", or leave "=" out`, v), false
		}
		seen[name] = true
		b := bucketSetup{flag: "--bucket " + v, name: name}
		if withFile {
			rules, code, ok := c.bucketCORS(v, name, file)
			if !ok {
				return nil, code, false
			}
			b.rules, b.from, b.replace = rules, file, true
		}
		setups = append(setups, b)
	}
	return setups, 0, true
}

// bucketCORS reads the CORS configuration of --bucket value (NAME=FILE)
// from file as validate reads it, and returns its rules when S3's
// PutBucketCors would take them; otherwise it reports why, with S3's
// verdict as validate prints it, and returns the exit status (2).
//
// It reads S3's forms only. An infrastructure file declares buckets of
// its own, and often several, which a NAME=FILE pair could name only
// with one more flag; "s3cors convert --to json" writes one bucket's
// rules out.
func (c *command) bucketCORS(value, name, file string) ([]corsrule.Rule, int, bool) {
	if file == "-" {
		return nil, c.usageError("--bucket %s: serve reads no standard input: give a file", value), false
	}
	// load reads a directory as a Terraform module: say what it is instead.
	if fi, err := os.Stat(file); err == nil && fi.IsDir() {
		return nil, c.usageError("--bucket %s: cannot read %s: %v", value, file, errIsDir), false
	}
	l := load(fileSource(file, nil), loadOptions{})
	switch {
	case l.kind != 0:
		return nil, c.usageError("--bucket %s: %s holds a %s, and --bucket reads S3's forms only (S3 XML, AWS CLI JSON, S3 console JSON): write its bucket's rules out with s3cors convert --to json", value, file, kindName(l.kind)), false
	case l.err != nil:
		return nil, c.usageError("--bucket %s: cannot read %s: %v", value, file, l.err), false
	}
	if len(l.problems) > 0 {
		printText(c.stderr, "s3cors %s: --bucket %s: S3 refuses this CORS configuration for the bucket %q:\n", c.name, value, name)
		writeProblem(c.stderr, l.name, l.problems[0])
		return nil, exitUsage, false
	}
	// s3server's PutBucketCors takes rules, not the file, and holds them,
	// written out again as XML in S3's namespace, to S3's size limit: an
	// XML file just under the limit, without the namespace, grows past
	// it. Refused here, it fails before anything is made.
	if e := xmlconfig.CheckSentSize(l.doc.Rules); e != nil {
		if l.doc.Format == xmlconfig.XML {
			e.Reason = "written out again in S3's namespace, as serve sets it, " + strings.TrimPrefix(e.Reason, "sent to S3 as XML, ") +
				"; the file itself is within the limit: PUT it with PutBucketCors once serve runs"
		}
		printText(c.stderr, "s3cors %s: --bucket %s: serve cannot set this CORS configuration on the bucket %q:\n", c.name, value, name)
		writeProblem(c.stderr, l.name, e)
		return nil, exitUsage, false
	}
	return l.doc.Rules, exitOK, true
}
