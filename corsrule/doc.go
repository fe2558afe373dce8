// Package corsrule holds one rule of an Amazon S3 bucket CORS configuration,
// S3's validation of it, and the one-"*" patterns its origins and headers
// use. Its errors are S3's, as package s3err types them.
//
// The behaviour follows the project's spec, docs/s3-cors-spec.md: where S3's
// answer was captured on the wire, this package gives that answer byte for
// byte; where it was not, the doc comment says UNVERIFIED and what was
// chosen instead.
//
// A Rule is plain data with S3's member names. [Rule.Validate] gives S3's
// verdict on it; package bucket builds and evaluates whole configurations,
// and package xmlconfig decodes and encodes them.
package corsrule
