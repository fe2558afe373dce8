package xmlconfig

import (
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
)

// TestForeignForms checks that the CORS files of other object stores keep
// S3's verdict, MalformedXML at their first foreign member, with a hint
// that names the provider and says how to write the file for S3. The
// documents are minimal rewrites of files found in repositories' docs and
// scripts, in the forms the providers' tools read.
func TestForeignForms(t *testing.T) {
	t.Parallel()
	const gcs = `; it is Google Cloud Storage's form (the cors.json of gsutil cors set and gcloud storage buckets update --cors-file), which S3 does not read: ` +
		`for S3, write {"CORSRules": [...]}, and in each rule origin as AllowedOrigins, method as AllowedMethods, ` +
		`responseHeader as ExposeHeaders, with the request headers among them (such as Content-Type) as AllowedHeaders, and maxAgeSeconds as MaxAgeSeconds`
	const b2 = `; it is Backblaze B2's form (the corsRules of b2_update_bucket and of the b2 tool), which S3 does not read: ` +
		`for S3, write {"CORSRules": [...]}, and in each rule corsRuleName as ID, allowedOperations as AllowedMethods ` +
		`(s3_get as GET, s3_head as HEAD, s3_put as PUT, s3_post as POST, s3_delete as DELETE; B2's b2_ operations have none), ` +
		`and allowedOrigins, allowedHeaders, exposeHeaders and maxAgeSeconds as AllowedOrigins, AllowedHeaders, ExposeHeaders and MaxAgeSeconds`
	checkInvalid(t, []invalidCase{
		{"GCS cors.json", "[\n  {\"origin\": [\"*\"], \"method\": [\"GET\"], \"responseHeader\": [\"Content-Type\"], \"maxAgeSeconds\": 3600}\n]",
			wantErr{reason: `unknown member "origin" in a rule` + gcs, line: 2, col: 4, rule: 1}},
		{"GCS rule given alone", `{"method": ["GET"], "origin": ["https://a.example"]}`,
			wantErr{reason: `unknown member "method" in the configuration` + gcs, col: 2}},
		{"gcloud's cors key", `{"cors": [{"origin": ["*"], "method": ["GET"]}]}`,
			wantErr{reason: `unknown member "cors" in the configuration` + gcs, col: 2}},
		{"B2 rules", `[{"corsRuleName": "up", "allowedOrigins": ["*"], "allowedOperations": ["s3_put"]}]`,
			wantErr{reason: `unknown member "corsRuleName" in a rule` + b2, col: 3, rule: 1}},
		{"b2_update_bucket body", `{"accountId": "a", "bucketId": "b", "corsRules": []}`,
			wantErr{reason: `unknown member "accountId" in the configuration` + b2, col: 2}},
		{"Azure's MaxAgeInSeconds", cliDoc(`{"AllowedOrigins": ["*"], "AllowedMethods": ["GET"], "MaxAgeInSeconds": 60}`),
			wantErr{reason: `unknown member "MaxAgeInSeconds" in a rule; it is Azure Blob Storage's name: S3 calls it "MaxAgeSeconds"`, rule: 1}},
		{"Azure's Cors element", `<Cors><CorsRule><AllowedOrigins>https://a.example,https://b.example</AllowedOrigins></CorsRule></Cors>`,
			wantErr{reason: `the root element is "Cors", not CORSConfiguration; it is Azure Blob Storage's (its service properties' Cors): ` +
				`for S3, write CORSConfiguration with a CORSRule for each CorsRule, an AllowedOrigin, AllowedMethod, AllowedHeader or ExposeHeader element ` +
				`for each item of its comma-separated AllowedOrigins, AllowedMethods, AllowedHeaders and ExposedHeaders, and MaxAgeInSeconds as MaxAgeSeconds`, col: 1}},
		{"Azure's service properties", `<?xml version="1.0"?><StorageServiceProperties><Cors/></StorageServiceProperties>`,
			wantErr{reason: `the root element is "StorageServiceProperties", not CORSConfiguration; it is Azure Blob Storage's`}},
		{"GCS's XML API", "<?xml version=\"1.0\"?>\n<CorsConfig><Cors><Origins><Origin>*</Origin></Origins><MaxAgeSec>60</MaxAgeSec></Cors></CorsConfig>",
			wantErr{reason: `the root element is "CorsConfig", not CORSConfiguration; it is Google Cloud Storage's (its XML API's CorsConfig)`, line: 2, col: 1}},
	})
}

// TestForeignFormHintOnce checks that each provider's hint is given once
// in a document, at its first mark, and not for every member that --all
// lists.
func TestForeignFormHintOnce(t *testing.T) {
	t.Parallel()
	in := `[{"origin": ["*"], "method": ["GET"]}, {"corsRuleName": "r", "allowedOperations": ["s3_get"]}, {"origin": ["*"]}]`
	_, err := Unmarshal([]byte(in))
	var hinted []string
	for _, r := range reasons(err) {
		if strings.Contains(r, "; it is ") {
			name, _, _ := strings.Cut(strings.TrimPrefix(r, `unknown member "`), `"`)
			hinted = append(hinted, name)
		}
	}
	if diff := cmp.Diff([]string{"origin", "corsRuleName"}, hinted); diff != "" {
		t.Errorf("members with a hint (-want +got):\n%s", diff)
	}
}

// TestForeignFormNotHinted checks that a member named as another
// provider's is not told that provider's where its form does not have it
// (review5): a "cors" object, as a Kubernetes manifest's spec and an
// Azure Resource Manager template hold corsRules in, and B2's and Google
// Cloud Storage's configuration-level members inside a rule.
func TestForeignFormNotHinted(t *testing.T) {
	t.Parallel()
	for name, in := range map[string]string{
		"a cors object":            `{"cors": {"corsRules": [{"allowedOrigins": ["*"], "allowedMethods": ["GET"]}]}}`,
		"B2's accountId in a rule": `{"CORSRules": [{"AllowedOrigins": ["*"], "AllowedMethods": ["GET"], "accountId": "a"}]}`,
		"a cors array in a rule":   `{"CORSRules": [{"AllowedOrigins": ["*"], "AllowedMethods": ["GET"], "cors": []}]}`,
	} {
		t.Run(name, func(t *testing.T) {
			t.Parallel()
			_, err := Unmarshal([]byte(in))
			rs := reasons(err)
			if len(rs) == 0 {
				t.Fatal("Unmarshal took it")
			}
			for _, r := range rs {
				if strings.Contains(r, "; it is ") {
					t.Errorf("reason %q names another provider", r)
				}
			}
		})
	}
}
