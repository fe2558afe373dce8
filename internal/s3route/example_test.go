package s3route_test

import (
	"fmt"
	"net/http"
	"net/url"

	"github.com/s3cors/s3cors/internal/s3route"
)

func ExampleRouter_Address() {
	rt, err := s3route.New([]string{"localhost"})
	if err != nil {
		panic(err)
	}
	fmt.Printf("%+v\n", rt.Address("photos.localhost:9000", "/2024/cat.jpg"))
	fmt.Printf("%+v\n", rt.Address("127.0.0.1:9000", "/photos/2024/cat.jpg"))
	// Output:
	// {Bucket:photos Key:2024/cat.jpg Style:virtual-hosted}
	// {Bucket:photos Key:2024/cat.jpg Style:path}
}

func ExampleClassify() {
	a := s3route.Address{Bucket: "photos", Key: "cat.jpg"}
	q, _ := url.ParseQuery("partNumber=3&uploadId=abc")
	op, sub := s3route.Classify(http.MethodPut, a, q, http.Header{"X-Amz-Copy-Source": {"/photos/dog.jpg"}})
	fmt.Println(op, sub)
	op, sub = s3route.Classify(http.MethodGet, s3route.Address{Bucket: "photos"}, url.Values{"cors": {""}}, nil)
	fmt.Println(op, sub)
	// Output:
	// UploadPartCopy uploadId
	// GetBucketCors cors
}
