// Package xmlconfig decodes and encodes Amazon S3 bucket CORS
// configurations in the four forms people write them, and answers
// problems with the error S3's PutBucketCors would give.
//
// # Forms
//
// [XML] is S3's own form, the body of PutBucketCors and GetBucketCors:
//
//	<CORSConfiguration xmlns="http://s3.amazonaws.com/doc/2006-03-01/">
//	  <CORSRule>
//	    <AllowedOrigin>https://example.com</AllowedOrigin>
//	    <AllowedMethod>GET</AllowedMethod>
//	  </CORSRule>
//	</CORSConfiguration>
//
// [JSON] is the AWS CLI's form, {"CORSRules": [{"AllowedOrigins":
// [...], ...}]}, and [Console] the bare array of rules the S3 console's
// editor takes. Both use S3's API member names (plural for lists: the XML
// repeats a singular element). [CLIInput] is the file of the AWS CLI's
// put-bucket-cors --cli-input-json, {"Bucket": "b", "CORSConfiguration":
// {"CORSRules": [...]}}, whose rules are CORSConfiguration's; what the
// CLI refuses in it before sending (an unknown parameter, a value of the
// wrong type) is reported in botocore's words. In both of the CLI's
// forms, a problem of the CORSConfiguration that botocore refuses before
// sending (a member unknown or missing, a value of the wrong type, null)
// is followed in its Reason by botocore's line, with its name of the
// value (CORSConfiguration.CORSRules[0].ID); one that botocore takes (an
// empty list, a MaxAgeSeconds past 32 bits) is S3's alone. [Decode] and [Unmarshal]
// tell the form from the first byte that is not white space, after an
// optional UTF-8 byte order mark: '<', '{' or '['; an object with a
// member named CORSConfiguration is the --cli-input-json form.
// A byte order mark before the AWS CLI's form is MalformedXML: the CLI
// does not skip it, and refuses the file. The decoders read UTF-8 only: a
// document in UTF-16 or UTF-32, as Windows PowerShell 5.1 writes files, is
// MalformedXML, its Reason naming the encoding.
//
// # What is checked
//
// Decoding checks what S3's schema checks and nothing more: the document
// is well-formed, the root is CORSConfiguration (in S3's namespace or in
// none), it holds at least one CORSRule, each rule has at least one
// AllowedOrigin and one AllowedMethod and no unknown member, ID and
// MaxAgeSeconds appear at most once, and MaxAgeSeconds is a 32-bit
// integer. Members may come in any order, as S3 allows. In the JSON
// forms a member given twice keeps its last value, as the AWS CLI's
// Python json module keeps it before sending XML, and the console's
// JSON.parse would (UNVERIFIED: the console's own reading is not
// recorded); the earlier value is not judged. Values are kept
// verbatim: not trimmed, not folded, not normalised. An empty
// <AllowedOrigin/> is the empty origin, which S3 stores; an empty <ID/>
// is the same as no ID (UNVERIFIED: whether S3 returns an empty ID is not
// recorded). A null member is MalformedXML in the AWS CLI's form, whose
// configuration the CLI refuses before sending it, and an absent member in
// the console's (UNVERIFIED: the AWS SDK for JavaScript leaves null
// members out; the console's own check is not recorded). The console's
// form is judged as the AWS SDK for JavaScript v2, which the console
// uses, sends it: MaxAgeSeconds may be any number, or a string that is a
// number as JavaScript writes one ("3000"), and is sent as its integer
// part, and null in a list is sent as the text "null". The AWS CLI refuses
// all of these.
//
// The checks of the values themselves (methods, wildcards, header names,
// the number of rules, the length of an ID) belong to package bucket's
// Validate, which answers InvalidRequest and other codes where S3 does.
// S3 judges them once the schema's problems are fixed; [UnmarshalPartial]
// gives, beside those problems, the rules read, so that both can be
// listed at once.
//
// The decoders are safe on hostile input. XML is read with encoding/xml in
// strict mode; a DOCTYPE, or any other <! declaration, is refused, so no
// entity is ever expanded. Neither decoder recurses on the input, and an
// element or member the schema does not allow is reported and then
// skipped in one flat pass, so depth costs nothing but a byte per level.
//
// # Limits
//
// S3 accepts a configuration of at most [corsrule.MaxDocumentSize] bytes
// (64 KiB) of XML. An XML document is read up to one byte more and then
// refused with [s3err.MaxMessageLengthExceeded], so an endless reader cannot hold the
// caller. S3 never sees the JSON forms: the AWS CLI and the console send
// the same rules as XML, so a JSON document is judged by the size of that
// XML (S3's namespace, no declaration), whatever its own white space: the
// AWS CLI's two forms as botocore writes it (an empty value as
// <AllowedOrigin />, a carriage return as itself, which S3 reads, with
// the line feed after it if any, as one line feed: the values are judged
// and kept so), the console's as S3's own form ([CheckSentSize]). It is read up to [MaxJSONSize] (1 MiB),
// which bounds the reading.
//
// # Errors
//
// Every error about the document is a [*s3err.Error]: MalformedXML for
// any problem of well-formedness or schema, in the JSON forms too, since
// that is what S3 would answer for the same configuration in XML;
// MissingRequestBodyError for an XML document of no bytes at all (one of
// white space only is MalformedXML); and MaxMessageLengthExceeded for a
// document over the limit. Reason says
// what exactly was wrong, in words S3 does not use; Line and Column locate
// it (see [Position]); Rule is the 1-based index of the rule it is in.
//
// A document that is not well-formed gets one error. A well-formed one
// gets every schema problem it has, up to 100, joined with [errors.Join]
// in document order (a missing member is noticed, and listed, at the end
// of its rule, though located at its start); [errors.As] finds the first,
// which is the error S3 would give, and [Problems] lists them all. Errors from the [io.Reader]
// are returned wrapped, not as S3 errors, so that a caller can tell its
// own I/O failures from verdicts on the document.
//
// Sub-package sdkconv converts rules to and from the types of the AWS SDK
// for Go v2, so that importing this package does not import the SDK.
package xmlconfig
