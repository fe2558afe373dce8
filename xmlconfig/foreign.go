package xmlconfig

// Users give s3cors the CORS files of other object stores, written for
// their own tools, which S3 answers with a bare MalformedXML. The verdict
// stays S3's; the hint of the first member that marks such a form names
// the provider and says how to write the file for S3, as r2Hint does for
// Cloudflare R2's.

// foreignForm is another provider's CORS form, told by a member name that
// its form has and S3's does not.
type foreignForm uint8

const (
	gcsForm   foreignForm = 1 << iota // Google Cloud Storage (and Firebase Storage, its buckets)
	b2Form                            // Backblaze B2's native API
	azureForm                         // Azure Blob Storage
)

// foreignMembers maps the member names of a rule that mark another
// provider's form to it: Google Cloud Storage's rule members, Backblaze
// B2's, and the MaxAgeInSeconds of Azure Blob Storage's CORS rules (its
// REST API, and ARM templates in camel case). Azure's ExposedHeaders is
// not a mark: CloudFormation's rules have it too.
var foreignMembers = map[string]foreignForm{
	"origin": gcsForm, "method": gcsForm, "responseHeader": gcsForm,
	"corsRuleName": b2Form, "allowedOperations": b2Form,
	"MaxAgeInSeconds": azureForm, "maxAgeInSeconds": azureForm,
}

// foreignTopMembers maps the members of a configuration, beside its rules
// or in their place, that mark another provider's form, besides a rule's
// (a rule given alone): the parameters of B2's b2_update_bucket beside
// corsRules. The "cors" of the file gcloud storage buckets update
// --cors-file reads marks Google Cloud Storage's form when it holds an
// array, as its does: an object under "cors" is another form's (a
// Kubernetes manifest's spec, an Azure Resource Manager template's
// blob service, which hold corsRules; review5).
var foreignTopMembers = map[string]foreignForm{"accountId": b2Form, "bucketId": b2Form}

// gcsHint names Google Cloud Storage's form, [{"origin": [...], "method":
// [...], "responseHeader": [...], "maxAgeSeconds": N}] or the same rules
// under "cors", which gsutil cors set and gcloud storage buckets update
// --cors-file read (Firebase Storage's buckets are set with them too).
// Its responseHeader lists the headers the browser may read, and those a
// preflight may ask for: S3 has ExposeHeaders and AllowedHeaders for them.
const gcsHint = `; it is Google Cloud Storage's form (the cors.json of gsutil cors set and gcloud storage buckets update --cors-file), which S3 does not read: ` +
	`for S3, write {"CORSRules": [...]}, and in each rule origin as AllowedOrigins, method as AllowedMethods, ` +
	`responseHeader as ExposeHeaders, with the request headers among them (such as Content-Type) as AllowedHeaders, and maxAgeSeconds as MaxAgeSeconds`

// b2Hint names the CORS rules of Backblaze B2's native API, the
// corsRules of b2_update_bucket and of the b2 command line tool, whose
// allowedOperations name the operations of B2's API and of its S3
// compatible API (s3_get, s3_head, s3_put, s3_post, s3_delete). B2's S3
// compatible API takes S3's own form too.
const b2Hint = `; it is Backblaze B2's form (the corsRules of b2_update_bucket and of the b2 tool), which S3 does not read: ` +
	`for S3, write {"CORSRules": [...]}, and in each rule corsRuleName as ID, allowedOperations as AllowedMethods ` +
	`(s3_get as GET, s3_head as HEAD, s3_put as PUT, s3_post as POST, s3_delete as DELETE; B2's b2_ operations have none), ` +
	`and allowedOrigins, allowedHeaders, exposeHeaders and maxAgeSeconds as AllowedOrigins, AllowedHeaders, ExposeHeaders and MaxAgeSeconds`

// azureHint names the CORS rules of Azure Blob Storage, whose
// MaxAgeInSeconds S3 calls otherwise.
const azureHint = `; it is Azure Blob Storage's name: S3 calls it "MaxAgeSeconds"`

// azureXMLHint names the Cors element of Azure Blob Storage's service
// properties (Set Blob Service Properties), whose CorsRule elements hold
// comma-separated lists.
const azureXMLHint = `; it is Azure Blob Storage's (its service properties' Cors): for S3, write CORSConfiguration with a CORSRule for each CorsRule, ` +
	`an AllowedOrigin, AllowedMethod, AllowedHeader or ExposeHeader element for each item of its comma-separated AllowedOrigins, AllowedMethods, ` +
	`AllowedHeaders and ExposedHeaders, and MaxAgeInSeconds as MaxAgeSeconds`

// foreignHint returns what to add to the reason for the unknown member
// name, of a rule or, top, of the configuration, whose value starts with
// a token of kind, when it marks another provider's form, once for each
// form in a document: without --all the first problem's hint is the one
// the user sees, and with it the hint is not repeated for each member.
func (p *jsonDecoder) foreignHint(name string, kind jsonKind, top bool) string {
	form := foreignMembers[name]
	if top {
		form |= foreignTopMembers[name]
		if name == "cors" && kind == '[' {
			form = gcsForm
		}
	}
	if form == 0 || p.foreignHinted&form != 0 {
		return ""
	}
	p.foreignHinted |= form
	return map[foreignForm]string{gcsForm: gcsHint, b2Form: b2Hint, azureForm: azureHint}[form]
}

// gcsXMLHint names the CorsConfig document of Google Cloud Storage's XML
// API (gsutil cors set reads its JSON form), whose Cors elements hold
// Origins, Methods and ResponseHeaders lists and a MaxAgeSec.
const gcsXMLHint = `; it is Google Cloud Storage's (its XML API's CorsConfig), which S3 does not read: for S3, write CORSConfiguration with a CORSRule for each Cors, ` +
	`an AllowedOrigin for each Origin, an AllowedMethod for each Method, an ExposeHeader for each ResponseHeader (and an AllowedHeader for each request header among them, ` +
	`such as Content-Type), and MaxAgeSec as MaxAgeSeconds`

// foreignRootHint returns what to add to the reason for the root element
// name of an XML document when it is another provider's. Google Cloud
// Storage's Cors elements are inside its CorsConfig: a Cors root is
// Azure's.
func foreignRootHint(name string) string {
	switch name {
	case "Cors", "StorageServiceProperties":
		return azureXMLHint
	case "CorsConfig":
		return gcsXMLHint
	}
	return ""
}
