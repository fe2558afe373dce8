package s3proxy

// What the package's own tests, in package s3proxy_test, look at inside.
const (
	SendsItself = sendsItself
	MinSend     = minSend
)

// SentStraight returns how many body bytes p sent straight from the
// upstream's connection to clients' (see directBody.send).
func SentStraight(p *Proxy) int64 { return p.direct.sent.Load() }
