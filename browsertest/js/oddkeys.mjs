// Requests of the AWS SDK for JavaScript v3 in Node for keys S3 stores as
// they are written (dot segments, "//", "%2F", characters to escape):
// PutObject of a stream (aws-chunked with a trailing checksum), GetObject,
// ListObjectsV2 with a query to escape, and a presigned GET sent by
// node:http, which sends its path as given where fetch would resolve the
// dot segments. Prints the failures as JSON on standard output, [] when
// every request verified.
//
// usage: node oddkeys.mjs ENDPOINT BUCKET ACCESS_KEY SECRET_KEY KEY...
import http from "node:http";
import { Readable } from "node:stream";
import { S3Client, PutObjectCommand, GetObjectCommand, ListObjectsV2Command } from "@aws-sdk/client-s3";
import { getSignedUrl } from "@aws-sdk/s3-request-presigner";

const [endpoint, bucket, accessKeyId, secretAccessKey, ...keys] = process.argv.slice(2);
const client = new S3Client({
  endpoint,
  region: "us-east-1",
  forcePathStyle: true,
  credentials: { accessKeyId, secretAccessKey },
  maxAttempts: 1,
});

// get sends a GET of url as it is written and returns its status and body.
function get(url) {
  const path = url.slice(endpoint.length);
  return new Promise((resolve, reject) => {
    http.get(endpoint + "/", { path }, res => {
      const chunks = [];
      res.on("data", c => chunks.push(c));
      res.on("end", () => resolve({ status: res.statusCode, body: Buffer.concat(chunks).toString() }));
    }).on("error", reject);
  });
}

const failures = [];
for (const key of keys) {
  try {
    const body = Buffer.from(key + "|".repeat(9000));
    await client.send(new PutObjectCommand({ Bucket: bucket, Key: key, Body: Readable.from([body.subarray(0, 8192), body.subarray(8192)]),
      ContentLength: body.length, Metadata: { note: "a  b\tc" } }));
    const got = await client.send(new GetObjectCommand({ Bucket: bucket, Key: key }));
    if (Buffer.compare(Buffer.from(await got.Body.transformToByteArray()), body) !== 0) failures.push(`GetObject ${key}: another body`);
    const list = await client.send(new ListObjectsV2Command({ Bucket: bucket, Prefix: key, Delimiter: "a=b&c d+e%" }));
    if (!list.Contents?.length) failures.push(`ListObjectsV2 ${key}: nothing`);
    const url = await getSignedUrl(client, new GetObjectCommand({ Bucket: bucket, Key: key,
      ResponseContentDisposition: 'attachment; filename="a b+c*~.txt"' }), { expiresIn: 300 });
    const r = await get(url);
    if (r.status !== 200 || r.body !== body.toString()) failures.push(`presigned GET ${key} (${url}): ${r.status} ${r.body.slice(0, 300)}`);
  } catch (e) {
    failures.push(`${key}: ${e.name}: ${e.message}`);
  }
}
console.log(JSON.stringify(failures));
