package iac_test

import (
	"errors"
	"fmt"
	"strings"
	"testing"

	"github.com/s3cors/s3cors/internal/iac"
)

// TestCloudFormationParameters: Options.Parameters give a template's
// parameters values as aws cloudformation deploy --parameter-overrides
// does: a parameter takes its value instead of its Default (a
// CommaDelimitedList's split at its commas), conditions are evaluated
// with it, and a value for a parameter the template does not declare, or
// not one of its AllowedValues, is refused, as CloudFormation refuses it.
func TestCloudFormationParameters(t *testing.T) {
	t.Parallel()
	const template = `Parameters:
  Environment:
    Type: String
    AllowedValues: [dev, prod]
    Default: prod
  AppOrigin:
    Type: String
  Partners:
    Type: CommaDelimitedList
    Default: "https://p.example"
Conditions:
  IsProd: !Equals [!Ref Environment, prod]
Resources:
  B:
    Type: AWS::S3::Bucket
    Properties:
      CorsConfiguration:
        CorsRules:
          - AllowedMethods: [GET]
            AllowedOrigins: !Split [",", !Join [",", [!Ref AppOrigin, !Join [",", !Ref Partners]]]]
            MaxAge: !If [IsProd, 3600, 60]
`
	for _, tc := range []struct {
		params []string
		want   string // origins and max age, not judged and why, or the error
	}{
		{nil, "not judged: parameter AppOrigin has no Default"},
		{[]string{"AppOrigin=https://app.example"}, `["https://app.example" "https://p.example"] 3600`},
		{[]string{"AppOrigin=https://app.example", "Environment=dev", "Partners=https://a.example, https://b.example"},
			`["https://app.example" "https://a.example" "https://b.example"] 60`},
		{[]string{"AppOrigin=https://x", "AppOrigin=https://y"}, `["https://y" "https://p.example"] 3600`},
		{[]string{"Region=eu-west-1"}, "error: a value is given for parameter Region, which the template does not declare"},
		{[]string{"AppOrigin"}, `error: parameter value "AppOrigin" is not NAME=VALUE`},
		{[]string{"AppOrigin=https://a", "Environment=staging"}, `error: the value "staging" given for parameter Environment is not one of its AllowedValues (CloudFormation: "Parameter 'Environment' must be one of AllowedValues")`},
	} {
		t.Run(strings.Join(tc.params, " "), func(t *testing.T) {
			t.Parallel()
			r, err := iac.Parse("t.yaml", []byte(template), iac.Options{Parameters: tc.params})
			var got string
			switch {
			case err != nil:
				got = "error: " + err.Error()
			case len(r.Buckets[0].Unjudged) > 0:
				got = "not judged: " + r.Buckets[0].Unjudged[0].Why
			default:
				rule := r.Buckets[0].Rules[0]
				got = fmt.Sprintf("%q %d", rule.AllowedOrigins, *rule.MaxAgeSeconds)
			}
			if got != tc.want {
				t.Errorf("got %s\nwant %s", got, tc.want)
			}
		})
	}
	for _, kind := range []iac.Kind{iac.Terraform, iac.Serverless} {
		if _, err := iac.Parse("x", []byte("service: s\nprovider: aws\n"), iac.Options{Kind: kind, Parameters: []string{"A=b"}}); !errors.Is(err, iac.ErrNotCloudFormation) {
			t.Errorf("%v: %v, want ErrNotCloudFormation", kind, err)
		}
	}
}
