module github.com/s3cors/s3cors/bench

go 1.26.6

require (
	github.com/rs/cors v1.11.1
	github.com/s3cors/s3cors v0.0.0
	github.com/seaweedfs/seaweedfs v0.0.0-20261109003541-7506e5f91cd6
)

require (
	github.com/aws/aws-sdk-go v1.55.8 // indirect
	github.com/cespare/xxhash/v2 v2.3.0 // indirect
	github.com/fluent/fluent-logger-golang v1.10.1 // indirect
	github.com/gorilla/mux v1.8.1 // indirect
	github.com/jmespath/go-jmespath v0.4.0 // indirect
	github.com/klauspost/cpuid/v2 v2.4.0 // indirect
	github.com/philhofer/fwd v1.2.0 // indirect
	github.com/tinylib/msgp v1.6.4 // indirect
	github.com/zeebo/xxh3 v1.1.0 // indirect
	golang.org/x/net v0.63.0 // indirect
	golang.org/x/sys v0.50.0 // indirect
	golang.org/x/text v0.44.0 // indirect
)

replace github.com/s3cors/s3cors => ../
