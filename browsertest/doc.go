// Package browsertest lets a real browser judge the CORS answers of
// s3cors serve: headless Chromium loads a page from one origin whose
// fetch() calls go to the endpoint on another, and the tests check what
// the browser allowed the page to see and what reached the endpoint.
//
// The tests skip when no chromium is on PATH, unless the environment sets
// S3CORS_REQUIRE_BROWSER=1, which CI does after installing it
// (apt-get install -y chromium).
package browsertest
