// Package browsertest lets a real browser judge the CORS answers of
// s3cors serve: headless Chromium loads a page from one origin whose
// fetch() calls go to the endpoint on another, and the tests check what
// the browser allowed the page to see and what reached the endpoint.
//
// The asset tests do the same for what a site loads from a bucket without
// fetch(): a stylesheet and the font its @font-face names, <script
// crossorigin> and <img crossorigin>, each in a fresh browser profile, and
// the cache trap, where Chromium reuses an answer S3 gave without Origin
// (and so without CORS headers or Vary) for a later CORS request.
//
// The caching test checks what Chromium's caches make of the endpoint's
// Access-Control-Max-Age (how many preflights reach it) and Vary (whether
// a second origin of the same site may use an answer cached for the
// first).
//
// The tests skip when no chromium is on PATH, unless the environment sets
// S3CORS_REQUIRE_BROWSER=1, which CI does after installing it
// (apt-get install -y chromium).
package browsertest
