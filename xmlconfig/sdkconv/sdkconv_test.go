package sdkconv

import (
	"testing"

	"github.com/aws/aws-sdk-go-v2/service/s3/types"
	"github.com/google/go-cmp/cmp"
	"github.com/google/go-cmp/cmp/cmpopts"

	"github.com/s3cors/s3cors/corsrule"
)

func ptr[T any](v T) *T { return &v }

var rules = []corsrule.Rule{
	{
		ID:             "r1",
		AllowedOrigins: []string{"https://a.example", ""},
		AllowedMethods: []string{"GET", "PUT"},
		AllowedHeaders: []string{"*"},
		ExposeHeaders:  []string{"ETag"},
		MaxAgeSeconds:  ptr[int32](3000),
	},
	{AllowedOrigins: []string{"*"}, AllowedMethods: []string{"GET"}, MaxAgeSeconds: ptr[int32](0)},
	{AllowedOrigins: []string{"*"}, AllowedMethods: []string{"HEAD"}},
}

var sdkRules = []types.CORSRule{
	{
		ID:             ptr("r1"),
		AllowedOrigins: []string{"https://a.example", ""},
		AllowedMethods: []string{"GET", "PUT"},
		AllowedHeaders: []string{"*"},
		ExposeHeaders:  []string{"ETag"},
		MaxAgeSeconds:  ptr[int32](3000),
	},
	{AllowedOrigins: []string{"*"}, AllowedMethods: []string{"GET"}, MaxAgeSeconds: ptr[int32](0)},
	{AllowedOrigins: []string{"*"}, AllowedMethods: []string{"HEAD"}},
}

// sdkOpts lets cmp look at the SDK types, whose unexported
// noSmithyDocumentSerde field holds nothing.
var sdkOpts = cmpopts.IgnoreUnexported(types.CORSRule{}, types.CORSConfiguration{})

func TestToSDK(t *testing.T) {
	t.Parallel()
	if diff := cmp.Diff(sdkRules, ToSDKRules(rules), sdkOpts); diff != "" {
		t.Errorf("ToSDKRules (-want +got):\n%s", diff)
	}
	want := &types.CORSConfiguration{CORSRules: sdkRules}
	if diff := cmp.Diff(want, ToSDK(rules), sdkOpts); diff != "" {
		t.Errorf("ToSDK (-want +got):\n%s", diff)
	}
	if got := ToSDK(nil); got == nil || got.CORSRules != nil {
		t.Errorf("ToSDK(nil) = %+v, want an empty configuration", got)
	}
	if got := ToSDKRules(nil); got != nil {
		t.Errorf("ToSDKRules(nil) = %v", got)
	}
}

func TestFromSDK(t *testing.T) {
	t.Parallel()
	if diff := cmp.Diff(rules, FromSDKRules(sdkRules)); diff != "" {
		t.Errorf("FromSDKRules (-want +got):\n%s", diff)
	}
	if diff := cmp.Diff(rules, FromSDK(&types.CORSConfiguration{CORSRules: sdkRules})); diff != "" {
		t.Errorf("FromSDK (-want +got):\n%s", diff)
	}
	if got := FromSDK(nil); got != nil {
		t.Errorf("FromSDK(nil) = %v", got)
	}
	if got := FromSDKRules(nil); got != nil {
		t.Errorf("FromSDKRules(nil) = %v", got)
	}
	// The SDK's empty ID is no ID.
	got := FromSDKRules([]types.CORSRule{{ID: ptr(""), AllowedOrigins: []string{"*"}, AllowedMethods: []string{"GET"}}})
	if got[0].ID != "" {
		t.Errorf("ID = %q", got[0].ID)
	}
}

func TestRoundTrip(t *testing.T) {
	t.Parallel()
	if diff := cmp.Diff(rules, FromSDK(ToSDK(rules))); diff != "" {
		t.Errorf("FromSDK(ToSDK(rules)) (-want +got):\n%s", diff)
	}
	if diff := cmp.Diff(sdkRules, ToSDKRules(FromSDKRules(sdkRules)), sdkOpts); diff != "" {
		t.Errorf("ToSDKRules(FromSDKRules(rules)) (-want +got):\n%s", diff)
	}
}

// TestNoAliasing checks that a conversion shares no memory with its
// source: changing either leaves the other alone.
func TestNoAliasing(t *testing.T) {
	t.Parallel()
	src := []corsrule.Rule{rules[0].Clone()}
	out := ToSDKRules(src)
	src[0].AllowedOrigins[0] = "changed"
	src[0].AllowedMethods[0] = "changed"
	src[0].AllowedHeaders[0] = "changed"
	src[0].ExposeHeaders[0] = "changed"
	*src[0].MaxAgeSeconds = 1
	src[0].ID = "changed"
	if diff := cmp.Diff(sdkRules[:1], out, sdkOpts); diff != "" {
		t.Errorf("ToSDKRules result changed with its source (-want +got):\n%s", diff)
	}

	sdk := ToSDKRules(rules[:1])
	back := FromSDKRules(sdk)
	sdk[0].AllowedOrigins[0] = "changed"
	sdk[0].AllowedMethods[0] = "changed"
	sdk[0].AllowedHeaders[0] = "changed"
	sdk[0].ExposeHeaders[0] = "changed"
	*sdk[0].MaxAgeSeconds = 1
	*sdk[0].ID = "changed"
	if diff := cmp.Diff(rules[:1], back); diff != "" {
		t.Errorf("FromSDKRules result changed with its source (-want +got):\n%s", diff)
	}
}
