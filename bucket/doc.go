// Package bucket validates, compiles and evaluates a whole Amazon S3 bucket
// CORS configuration, answering each request exactly as S3 does
// (docs/s3-cors-spec.md §2-§6).
//
// [New] gives S3's PutBucketCors verdict on an ordered list of rules and
// compiles a valid one into a [Config]: immutable, safe for concurrent use,
// and cheap to evaluate whatever its size. [Evaluate] answers one request:
// a preflight (OPTIONS) gets 200 with S3's headers or S3's exact 400/403
// error; an actual request gets S3's CORS headers when a rule admits it and
// nothing otherwise, because CORS never refuses an actual request. The
// first rule that admits the origin, the method (or
// Access-Control-Request-Method) and every requested header answers.
//
// Evaluating allocates nothing: a [Result] is a small value, and
// [Result.WriteHeaders] writes shared, precomputed header values into the
// caller's map. The exceptions are Access-Control-Request-Headers sent on
// several lines, which are joined, and Access-Control-Allow-Headers when
// S3's form of it (names lower-cased, joined by ", ") differs from what
// the request sent: building it costs one allocation, and each Config
// remembers answers in a bounded table that settles on the few values an
// application's pages send, so the preflights a browser repeats cost
// none; so does adding Vary to a map that already holds one. Wildcard
// origins are indexed by their literal text once there are more than a
// few, so a configuration with a thousand costs about what one with one
// does, unless many of them share both their text before the "*" and
// their text after it with others (a hundred prefixes crossed with ten
// suffixes): those sharing a side are then tried in turn.
//
// Servers that do not use net/http reduce a request to a [Request] (its
// method, Origin, Access-Control-Request-Method and
// Access-Control-Request-Headers) and call [EvaluateRequest], which answers
// the same; writing its Result costs one allocation more, for an echoed
// Origin, which [Evaluate] takes from the request's header.
//
// [Middleware] puts all of this in front of an S3-compatible server.
//
// # Bounds
//
// Request headers are untrusted. A preflight whose Origin,
// Access-Control-Request-Method or Access-Control-Request-Headers is over
// [MaxHeaderValueLen] (8 KiB, S3's own limit for a whole header section)
// is refused with 400 RequestHeaderSectionTooLarge before any rule is
// read; an actual request with such a header gets no CORS headers, since
// CORS never refuses one ([HeaderTooLarge]). An
// Access-Control-Request-Headers list of more than [MaxRequestedHeaders]
// elements is refused as one no rule admits; that bound is ours, and keeps
// the work per request small whatever the configuration holds. An Origin
// that is not visible ASCII (printable, without spaces), and a requested
// header name that is not an HTTP token, match no rule, so nothing a
// response echoes can carry a space or a control character.
//
// # Choices where S3 is not recorded
//
// The spec marks some behaviour UNVERIFIED. Each choice is made in one
// place, says so in a comment there, and is pinned by a test
// (TestUnverifiedChoices and the tables next to it):
//
//   - a rule that lists "*" beside other origins answers
//     Access-Control-Allow-Origin: * whichever origin matched, as a rule
//     with "*" alone does;
//   - MaxAgeSeconds 0 or below is sent as Access-Control-Max-Age as
//     stored;
//   - a preflight whose Access-Control-Request-Method is missing or not
//     one of the five methods gets 400 ([Result.Err]);
//   - the 403 for a missing bucket names the requested method, or
//     OPTIONS when there is none;
//   - an actual request that carries Access-Control-Request-Headers gets
//     no Access-Control-Allow-Headers ([Result.WriteHeaders]);
//   - a header name requested twice is echoed twice;
//   - empty Origin and Access-Control-Request-Method headers count as
//     absent ([Request]);
//   - the order in which the configuration checks report ([Problems]);
//   - of several Origin or Access-Control-Request-Method lines, the
//     first counts ([Evaluate]);
//   - an actual request's error responses carry the CORS headers its
//     success would ([Middleware]);
//   - an Origin that is not visible ASCII, and a requested name that is
//     not an HTTP token, match no rule, so neither is ever echoed.
package bucket
