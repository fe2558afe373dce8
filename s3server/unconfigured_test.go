package s3server_test

import (
	"errors"
	"net/http"
	"testing"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/s3"
	"github.com/aws/aws-sdk-go-v2/service/s3/types"
	"github.com/aws/smithy-go"
)

// TestUnconfiguredReads reads the bucket configurations the server keeps
// none of: each answers as S3 answers for a bucket without one, the
// documents and errors whole; a missing bucket is NoSuchBucket first,
// and setting any of them stays 501.
func TestUnconfiguredReads(t *testing.T) {
	t.Parallel()
	ts := anonServer(t)
	mustStatus(t, ts.do("PUT", "/plain", nil), 200)
	const ns = `<?xml version="1.0" encoding="UTF-8"?>` + "\n"
	const xmlns = ` xmlns="http://s3.amazonaws.com/doc/2006-03-01/"`
	for _, tc := range []struct {
		query  string
		status int
		body   string
	}{
		{"policy", 404, errorDoc("NoSuchBucketPolicy", "The bucket policy does not exist", "BucketName", "plain")},
		{"policyStatus", 404, errorDoc("NoSuchBucketPolicy", "The bucket policy does not exist", "BucketName", "plain")},
		{"tagging", 404, errorDoc("NoSuchTagSet", "The TagSet does not exist", "BucketName", "plain")},
		{"lifecycle", 404, errorDoc("NoSuchLifecycleConfiguration", "The lifecycle configuration does not exist", "BucketName", "plain")},
		{"website", 404, errorDoc("NoSuchWebsiteConfiguration", "The specified bucket does not have a website configuration", "BucketName", "plain")},
		{"replication", 404, errorDoc("ReplicationConfigurationNotFoundError", "The replication configuration was not found", "BucketName", "plain")},
		{"object-lock", 404, errorDoc("ObjectLockConfigurationNotFoundError", "Object Lock configuration does not exist for this bucket", "BucketName", "plain")},
		{"publicAccessBlock", 404, errorDoc("NoSuchPublicAccessBlockConfiguration", "The public access block configuration was not found", "BucketName", "plain")},
		{"ownershipControls", 404, errorDoc("OwnershipControlsNotFoundError", "The bucket ownership controls were not found", "BucketName", "plain")},
		{"logging", 200, ns + "<BucketLoggingStatus" + xmlns + "></BucketLoggingStatus>"},
		{"accelerate", 200, ns + "<AccelerateConfiguration" + xmlns + "></AccelerateConfiguration>"},
		{"notification", 200, ns + "<NotificationConfiguration" + xmlns + "></NotificationConfiguration>"},
		{"requestPayment", 200, ns + "<RequestPaymentConfiguration" + xmlns + "><Payer>BucketOwner</Payer></RequestPaymentConfiguration>"},
		{"encryption", 200, ns + "<ServerSideEncryptionConfiguration" + xmlns + "><Rule><ApplyServerSideEncryptionByDefault><SSEAlgorithm>AES256</SSEAlgorithm>" +
			"</ApplyServerSideEncryptionByDefault><BucketKeyEnabled>false</BucketKeyEnabled></Rule></ServerSideEncryptionConfiguration>"},
	} {
		t.Run(tc.query, func(t *testing.T) {
			t.Parallel()
			ts := ts.with(t)
			r := ts.do("GET", "/plain?"+tc.query, nil)
			if r.StatusCode != tc.status || normalizeIDs(r.body) != tc.body || r.Header.Get("Content-Type") != "application/xml" {
				t.Errorf("GET ?%s: %d %s %s\nwant %d %s", tc.query, r.StatusCode, r.Header.Get("Content-Type"), r.body, tc.status, tc.body)
			}
			mustError(t, ts.do("GET", "/missing?"+tc.query, nil), 404, errorDoc("NoSuchBucket", "The specified bucket does not exist", "BucketName", "missing"))
			// S3 has no PutBucketPolicyStatus: 405, with the methods it takes.
			want := http.StatusNotImplemented
			if tc.query == "policyStatus" {
				want = http.StatusMethodNotAllowed
			}
			if r := ts.do("PUT", "/plain?"+tc.query, []byte("<x/>")); r.StatusCode != want {
				t.Errorf("PUT ?%s: %d, want %d", tc.query, r.StatusCode, want)
			}
		})
	}
}

// TestSDKUnconfiguredReads reads them with aws-sdk-go-v2, as a tool that
// reads a bucket's state does (Terraform's aws_s3_bucket reads all of
// these on every plan): each parses, as the error code the SDK knows or
// the default the bucket has.
func TestSDKUnconfiguredReads(t *testing.T) {
	t.Parallel()
	_, client := sdkServer(t)
	bkt := aws.String("plain")
	mustOK(t, sdkErr(client.CreateBucket(ctx, &s3.CreateBucketInput{Bucket: bkt})))
	for _, tc := range []struct {
		name string
		call func() error
		code string
	}{
		{"GetBucketPolicy", func() error { return sdkErr(client.GetBucketPolicy(ctx, &s3.GetBucketPolicyInput{Bucket: bkt})) }, "NoSuchBucketPolicy"},
		{"GetBucketTagging", func() error { return sdkErr(client.GetBucketTagging(ctx, &s3.GetBucketTaggingInput{Bucket: bkt})) }, "NoSuchTagSet"},
		{"GetBucketLifecycleConfiguration", func() error {
			return sdkErr(client.GetBucketLifecycleConfiguration(ctx, &s3.GetBucketLifecycleConfigurationInput{Bucket: bkt}))
		}, "NoSuchLifecycleConfiguration"},
		{"GetBucketWebsite", func() error { return sdkErr(client.GetBucketWebsite(ctx, &s3.GetBucketWebsiteInput{Bucket: bkt})) }, "NoSuchWebsiteConfiguration"},
		{"GetBucketReplication", func() error {
			return sdkErr(client.GetBucketReplication(ctx, &s3.GetBucketReplicationInput{Bucket: bkt}))
		},
			"ReplicationConfigurationNotFoundError"},
		{"GetObjectLockConfiguration", func() error {
			return sdkErr(client.GetObjectLockConfiguration(ctx, &s3.GetObjectLockConfigurationInput{Bucket: bkt}))
		}, "ObjectLockConfigurationNotFoundError"},
		{"GetPublicAccessBlock", func() error {
			return sdkErr(client.GetPublicAccessBlock(ctx, &s3.GetPublicAccessBlockInput{Bucket: bkt}))
		},
			"NoSuchPublicAccessBlockConfiguration"},
		{"GetBucketOwnershipControls", func() error {
			return sdkErr(client.GetBucketOwnershipControls(ctx, &s3.GetBucketOwnershipControlsInput{Bucket: bkt}))
		}, "OwnershipControlsNotFoundError"},
		{"GetBucketPolicyStatus", func() error {
			return sdkErr(client.GetBucketPolicyStatus(ctx, &s3.GetBucketPolicyStatusInput{Bucket: bkt}))
		},
			"NoSuchBucketPolicy"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			var ae smithy.APIError
			if err := tc.call(); !errors.As(err, &ae) || ae.ErrorCode() != tc.code {
				t.Errorf("%v, want %s", err, tc.code)
			}
		})
	}
	enc, err := client.GetBucketEncryption(ctx, &s3.GetBucketEncryptionInput{Bucket: bkt})
	if err != nil || len(enc.ServerSideEncryptionConfiguration.Rules) != 1 ||
		enc.ServerSideEncryptionConfiguration.Rules[0].ApplyServerSideEncryptionByDefault.SSEAlgorithm != types.ServerSideEncryptionAes256 ||
		aws.ToBool(enc.ServerSideEncryptionConfiguration.Rules[0].BucketKeyEnabled) {
		t.Errorf("GetBucketEncryption: %+v %v, want AES256 without a bucket key", enc, err)
	}
	pay, err := client.GetBucketRequestPayment(ctx, &s3.GetBucketRequestPaymentInput{Bucket: bkt})
	if err != nil || pay.Payer != types.PayerBucketOwner {
		t.Errorf("GetBucketRequestPayment: %+v %v, want BucketOwner", pay, err)
	}
	acc, err := client.GetBucketAccelerateConfiguration(ctx, &s3.GetBucketAccelerateConfigurationInput{Bucket: bkt})
	if err != nil || acc.Status != "" {
		t.Errorf("GetBucketAccelerateConfiguration: %+v %v, want no status", acc, err)
	}
	logging, err := client.GetBucketLogging(ctx, &s3.GetBucketLoggingInput{Bucket: bkt})
	if err != nil || logging.LoggingEnabled != nil {
		t.Errorf("GetBucketLogging: %+v %v, want logging off", logging, err)
	}
	notif, err := client.GetBucketNotificationConfiguration(ctx, &s3.GetBucketNotificationConfigurationInput{Bucket: bkt})
	if err != nil || len(notif.QueueConfigurations)+len(notif.TopicConfigurations)+len(notif.LambdaFunctionConfigurations) != 0 || notif.EventBridgeConfiguration != nil {
		t.Errorf("GetBucketNotificationConfiguration: %+v %v, want none", notif, err)
	}
}
