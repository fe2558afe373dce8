package sdkconv_test

import (
	"fmt"
	"strings"

	"github.com/aws/aws-sdk-go-v2/service/s3/types"

	"github.com/s3cors/s3cors/xmlconfig"
	"github.com/s3cors/s3cors/xmlconfig/sdkconv"
)

// A configuration file becomes the CORSConfiguration of a
// PutBucketCorsInput, and GetBucketCorsOutput.CORSRules comes back as
// rules.
func Example() {
	doc, err := xmlconfig.Decode(strings.NewReader(`[{"ID": "app", "AllowedOrigins": ["https://app.example.com"], "AllowedMethods": ["GET"], "MaxAgeSeconds": 600}]`))
	if err != nil {
		fmt.Println(err)
		return
	}
	cfg := sdkconv.ToSDK(doc.Rules) // s3.PutBucketCorsInput{CORSConfiguration: cfg, ...}
	r := cfg.CORSRules[0]
	fmt.Println(*r.ID, r.AllowedOrigins, r.AllowedMethods, *r.MaxAgeSeconds, r.ExposeHeaders == nil)

	var got []types.CORSRule = cfg.CORSRules // as GetBucketCorsOutput.CORSRules
	rules := sdkconv.FromSDKRules(got)
	fmt.Printf("%s", xmlconfig.AppendConsole(nil, rules))
	// Output:
	// app [https://app.example.com] [GET] 600 true
	// [
	//     {
	//         "ID": "app",
	//         "AllowedMethods": [
	//             "GET"
	//         ],
	//         "AllowedOrigins": [
	//             "https://app.example.com"
	//         ],
	//         "MaxAgeSeconds": 600
	//     }
	// ]
}
