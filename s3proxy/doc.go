// Package s3proxy puts Amazon S3's per-bucket CORS in front of any
// S3-compatible store that lacks it (MinIO's community edition, RustFS,
// gateways), keeping the configurations in the store itself, so that any
// number of proxies, each without state, share them.
//
// A [Proxy] is an [http.Handler]. It answers five kinds of request itself
// and passes every other to the upstream store:
//
//   - a request whose Host is not one of [Options.AllowedHosts]: 400
//     InvalidArgument, before anything else, as s3server answers it;
//   - preflights (OPTIONS), never forwarded: on a bucket or object from
//     the bucket's configuration, exactly as [bucket.Middleware] answers
//     them, and on the service with 403 AccessDenied, as S3 never makes
//     the service CORS-enabled;
//   - PutBucketCors, GetBucketCors and DeleteBucketCors, with S3's
//     validation, errors and integrity checks (Content-MD5 or an
//     x-amz-checksum-* header), signature checks when [Options.Keys] are
//     set (a URL presigned with Signature Version 2, with keys or without,
//     has the headers its query carries read as its own, as s3server reads
//     them), and NoSuchBucket for a bucket the upstream does not have
//     (HeadBucket). With keys, an unsigned request is checked in s3cors
//     serve's order, S3's: the names, then the bucket (from the cache,
//     within [Options.LookupRate]), NoSuchBucket for one that does not
//     exist, and AccessDenied for one that does, as the proxy has no ACLs.
//     A signed one is then checked at the upstream (for a PutBucketCors,
//     once its body is read), with a request signed with the client's own
//     pair that asks for the permission S3 asks for: a PutBucketCors the
//     upstream must refuse for its body (s3:PutBucketCORS, for Put and
//     DeleteBucketCors) or a GetBucketCors (s3:GetBucketCORS);
//     GetBucketAcl, then HeadBucket, where the upstream does not implement
//     bucket CORS, then ?acl (see [Options.Keys]). The upstream pair is
//     not checked, unless [Options.CheckUpstreamKeys]: the client gets
//     AccessDenied for a bucket the upstream does not let it administer. A
//     request's x-amz-expected-bucket-owner goes with that check, made for
//     it with the upstream pair when none would be, so that the upstream,
//     which knows who owns the bucket, judges it (403 AccessDenied for
//     another owner; an upstream that ignores it, as gofakes3 does, grants
//     any). A configuration is stored, as the body received, in the object
//     BUCKET/cors.xml of [Options.ConfigBucket] (created when missing),
//     with requests signed by the upstream keys;
//   - a query that names two subresources (?cors&tagging): S3's 400
//     InvalidArgument, as s3server answers it, so that such a request is
//     never taken for one of the CORS operations;
//   - any request that reaches the config bucket, however the upstream
//     might read its address (the path, a cleaned path, a host in front
//     of a domain, a copy source, a key of a DeleteObjects such as
//     "../s3cors-config/k", which versitygw resolves, a bucket query
//     parameter, which versitygw's admin API reads): 403 AccessDenied.
//     Clients never read or change the configurations but through the
//     three operations.
//
// The config bucket does not show in ListBuckets either: the proxy drops
// its entry from the upstream's answer as it streams through, every other
// byte as it came, without a Content-Length. A page that held it holds
// one bucket fewer than max-buckets asks for, and may hold none but the
// ContinuationToken of the next. An answer the proxy cannot read is
// passed as it is, with a warning in the log: one the upstream encoded
// (Content-Encoding), or one with an entry longer than 16 KiB.
//
// # Pass-through
//
// Requests S3 has no operation for (a PATCH, a HEAD ?acl, which S3
// answers 405 MethodNotAllowed) are passed through too, and answered by
// the upstream as without the proxy, which takes nothing from its API.
// A request passed through keeps its method, path, raw query, headers and
// Host header, so the signatures clients make (Signature Version 4 or 2,
// in a header or presigned) verify at the upstream, with the hop-by-hop
// headers a Signature Version 4 signs (a Connection of "close" or
// "keep-alive", Keep-Alive, ...), which a proxy drops; for virtual-hosted
// requests the upstream must serve the same domains as [Options.Domains]
// (MinIO's MINIO_DOMAIN). Bodies stream both ways, never buffered:
// multi-gigabyte objects, aws-chunked uploads, ranges, Expect:
// 100-continue. The one exception is DeleteObjects (a POST with
// ?delete), whose body the proxy reads, at most 8 MiB, to check its keys
// before it passes it on unchanged. It reads them before any
// authentication, so the bodies it holds at once share 64 MiB, counted
// by their Content-Length or, for a chunked one, as it grows: past it a
// DeleteObjects gets S3's 503 SlowDown; and one whose body has not come
// whole within [Options.ClientTimeout], however short its pauses, gets
// S3's 400 RequestTimeout. It refuses one in aws-chunked
// encoding (501 NotImplemented), which the AWS SDKs do not send, and
// one it cannot read as XML (MalformedXML). An answer the upstream sends
// before it has read a body (an upload it refuses) is passed on even when
// the upstream then resets the connection on the body still coming, as
// versitygw does, not turned into 503. The upstream's Access-Control-*
// headers, and the CORS
// values of its Vary, are removed from every answer, and S3's are set
// from the bucket's configuration, on successes and errors alike; the
// 1xx answers an upstream sends first (100 Continue, 103 Early Hints)
// go out with no CORS headers at all. The upstream's Server header goes
// out as it came; what the proxy answers itself (preflights, ?cors, its
// errors) carries S3's, Server: AmazonS3, and its request IDs, as
// s3server's answers do.
//
// A DeleteBucket that succeeds deletes the bucket's configuration, as S3
// deletes CORS with its bucket, once a HeadBucket confirms the bucket is
// gone, trying again in the background, a ConfigTTL later and twice as
// long after each try, 6 times in all, while the store fails either; a
// CreateBucket that succeeds for a bucket a HeadBucket just found
// missing deletes any configuration left over from an earlier bucket of
// the name (one deleted other than through a proxy). Creating a bucket
// one owns again, which S3 answers with 200, keeps its configuration.
//
// # Upstream trouble
//
// A request the upstream does not answer gets S3's 503 ServiceUnavailable
// in bounded time and memory. The transport the proxy makes (when
// [Options.Transport] is nil) dials and shakes hands for TLS within 10 s
// (less when [Options.UpstreamTimeout] is), and takes answer headers
// within UpstreamTimeout (30 s by default) and 64 KiB (S3's hold a few
// kilobytes); a Transport given must bound these itself, as with
// [http.Transport]'s ResponseHeaderTimeout, for a request passed through
// (the proxy's own requests are held to UpstreamTimeout whatever the
// transport). Whatever the transport, the upstream may pause no longer
// than UpstreamTimeout while it sends or takes a body; then the client's
// connection is cut short, so that it never takes a truncated body for a
// whole one.
// Clients are held to [Options.ClientTimeout] the same way: a request
// body that pauses longer gets S3's 400 RequestTimeout, one that ends
// short 400 IncompleteBody, and a client that leaves before the upstream
// answers no answer at all.
//
// A 404 to the proxy's GET or DELETE of a configuration means none, or
// no config bucket yet, only with S3's error document saying NoSuchKey
// or NoSuchBucket, as S3-compatible stores send it. Any other 404 (a
// page, no body, another code) comes from a server that is not an S3
// store, such as one on the wrong port: it is the store's trouble, like
// a server error, and [Proxy.Ready] says so, rather than every bucket
// being served as having no configuration. A HeadBucket's 404, which has
// no body, means no such bucket; a look-up asks one only after an S3
// error to its GET.
//
// # The configuration cache
//
// Compiled configurations are cached per bucket. An entry is used as it
// is for [Options.ConfigTTL] (1 s by default) after the upstream last
// confirmed it; the first request after that starts a conditional GET
// (If-None-Match) in the background and is answered from the entry, so a
// preflight for a bucket in use never waits for the upstream. An entry
// left unused for a TTL past that (two TTLs after its confirmation) is
// revalidated first: the request that finds it waits for one conditional
// GET, for one ConfigTTL at most, and is answered from the entry, stale,
// if the upstream fails it or has not answered by then (then the requests
// after it do not wait). Buckets without a
// configuration, and buckets that do not exist, are cached the same way.
// Concurrent misses or revalidations for one bucket make one upstream
// request, which the others wait for.
//
// Consistency: a change made through a proxy is applied by that proxy at
// once; the other proxies apply it once a request has revalidated the
// entry: at most ConfigTTL plus one upstream round trip after the change
// for a bucket in use (the first request past the TTL is answered from
// the entry), and at the next request, which waits for one round trip,
// for a bucket left idle. So while the upstream answers, no proxy answers
// from a configuration confirmed more than two TTLs before (S3's own CORS
// changes take time to propagate too). A configuration is compiled whole
// before it is used, and replaced whole, so no request ever sees half of
// one, or another bucket's.
//
// While the upstream cannot revalidate an entry, the entry is served stale
// (logged once, and marked in the request log line), and tried again a
// ConfigTTL after each failure, not at every request, for at most
// [Options.MaxStale] (5 min, or two TTLs when longer, by default) after
// its last confirmation; after that the bucket's requests get 503
// ServiceUnavailable until the upstream answers again. PutBucketCors and DeleteBucketCors answer 503
// while the upstream cannot take the change.
//
// # Bounds
//
// The cache holds at most [Options.MaxBuckets] entries (10,000 by
// default), evicting entries without a configuration first. Looking up a
// bucket the cache does not hold costs the upstream one request (a GET of
// the configuration) or two (and a HeadBucket, when there is none);
// revalidating costs one, or two for an entry without a configuration.
// Look-ups, and revalidations of entries without a configuration, are
// limited to [Options.LookupRate] a second (100 by default, in bursts of
// as many); past it, a request for a bucket the cache does not hold gets
// 503 SlowDown. So a flood of requests for random bucket names costs the
// upstream at most 2 x LookupRate requests a second, and the buckets with
// a configuration, which only holders of the keys make, at most one
// conditional GET each per ConfigTTL while they are in use, outside the
// budget: one the cache held with a configuration is fetched again
// without it when it was left unused past MaxStale, so that a flood
// cannot refuse it. Names S3 would
// refuse as bucket names cost nothing: they name no bucket.
//
// # Operations
//
// [Proxy.Ready] tells whether the proxy can read the configurations in
// the upstream with its keys. An [Observer] is told
// of every request, preflight, cache event and upstream request, for
// metrics; the package itself depends on no metrics library. The
// optional logger gets one line per request, with the fields of
// s3server's.
//
// With [Options.Inspector], [Proxy.Inspector] is the CORS inspector of
// s3server, to be served at [InspectorPrefix] on an address of the
// operator's (s3cors proxy serves it beside its metrics), behind the
// proxy's Host check: live pages of every request with an Origin, and
// every preflight, with the CORS headers the proxy sent and the rules'
// reasons, and the same events as JSON. It costs a request nothing while
// no one looks. Its bucket pages show the configurations the cache
// holds: the proxy knows only the buckets requests have named. It
// answers without credentials, with [Options.Keys] too (a page in a
// browser cannot sign): whoever reaches it sees those configurations and
// the paths, object keys and queries of the requests it records.
package s3proxy
