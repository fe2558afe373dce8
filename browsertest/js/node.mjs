// Uploads to s3cors serve from Node with the AWS SDK for JavaScript v3, as
// an application does, and prints what the SDK reported as JSON on
// standard output. The Go test (node_test.go) starts the endpoint, runs
// this script, records what reached the endpoint and checks every field.
//
// usage: node node.mjs ENDPOINT BUCKET ACCESS_KEY SECRET_KEY
import { data, pieces } from "./bodies.mjs";
import { createHash } from "node:crypto";
import {
  S3Client, PutObjectCommand, GetObjectCommand,
  CreateMultipartUploadCommand, UploadPartCommand, CompleteMultipartUploadCommand,
} from "@aws-sdk/client-s3";
import { Upload } from "@aws-sdk/lib-storage";
import { getSignedUrl } from "@aws-sdk/s3-request-presigner";

const [endpoint, bucket, accessKeyId, secretAccessKey] = process.argv.slice(2);
const client = new S3Client({
  endpoint,
  region: "us-east-1",
  forcePathStyle: true,
  credentials: { accessKeyId, secretAccessKey },
  maxAttempts: 1,
});

async function readBack(key) {
  const got = await client.send(new GetObjectCommand({ Bucket: bucket, Key: key }));
  const body = Buffer.from(await got.Body.transformToByteArray());
  return { getETag: got.ETag, getSHA256: createHash("sha256").update(body).digest("hex"), getLength: body.length };
}

const scenarios = {
  // A stream with the SDK's default checksum (CRC32 since 3.729): sent
  // aws-chunked with a trailing checksum.
  "stream-default": async key => {
    const out = await client.send(new PutObjectCommand({ Bucket: bucket, Key: key, Body: pieces(data(200000), 16384), ContentLength: 200000 }));
    return { etag: out.ETag, crc32: out.ChecksumCRC32 ?? null, sha256: out.ChecksumSHA256 ?? null, ...(await readBack(key)) };
  },
  // A stream with SHA-256 asked for.
  "stream-sha256": async key => {
    const out = await client.send(new PutObjectCommand({ Bucket: bucket, Key: key, Body: pieces(data(100000), 8192), ContentLength: 100000,
      ChecksumAlgorithm: "SHA256" }));
    return { etag: out.ETag, crc32: out.ChecksumCRC32 ?? null, sha256: out.ChecksumSHA256 ?? null, ...(await readBack(key)) };
  },
  // A buffer: its checksum fits in a header.
  "buffer": async key => {
    const out = await client.send(new PutObjectCommand({ Bucket: bucket, Key: key, Body: data(5000) }));
    return { etag: out.ETag, crc32: out.ChecksumCRC32 ?? null, sha256: out.ChecksumSHA256 ?? null, ...(await readBack(key)) };
  },
  // lib-storage's Upload of a stream of unknown length under its part
  // size: one PutObject.
  "upload-stream": async key => {
    const out = await new Upload({ client, params: { Bucket: bucket, Key: key, Body: pieces(data(300000), 10000) } }).done();
    return { etag: out.ETag, crc32: out.ChecksumCRC32 ?? null, sha256: out.ChecksumSHA256 ?? null, ...(await readBack(key)) };
  },
  // A presigned PUT URL, used with fetch.
  "presigned-put": async key => {
    const url = await getSignedUrl(client, new PutObjectCommand({ Bucket: bucket, Key: key }), { expiresIn: 300 });
    const resp = await fetch(url, { method: "PUT", body: data(7000) });
    return { status: resp.status, etag: resp.headers.get("etag"), crc32: null, sha256: null, ...(await readBack(key)) };
  },
};

// The multipart scenarios.
Object.assign(scenarios, {
  // UploadPart with a stream: aws-chunked with a trailing CRC32, as
  // PutObject's; the part's checksum is completed with.
  "part-stream": async key => {
    const created = await client.send(new CreateMultipartUploadCommand({ Bucket: bucket, Key: key, ChecksumAlgorithm: "CRC32" }));
    const part = await client.send(new UploadPartCommand({ Bucket: bucket, Key: key, UploadId: created.UploadId, PartNumber: 1,
      Body: pieces(data(150000), 16384), ContentLength: 150000, ChecksumAlgorithm: "CRC32" }));
    const out = await client.send(new CompleteMultipartUploadCommand({ Bucket: bucket, Key: key, UploadId: created.UploadId,
      MultipartUpload: { Parts: [{ PartNumber: 1, ETag: part.ETag, ChecksumCRC32: part.ChecksumCRC32 }] } }));
    return { etag: out.ETag, partETag: part.ETag, crc32: part.ChecksumCRC32 ?? null, sha256: null, ...(await readBack(key)) };
  },
  // lib-storage's Upload of a 12 MiB stream of unknown length, in parts
  // of 5 MiB.
  "upload-multipart": async key => {
    const out = await new Upload({ client, partSize: 5 * 1024 * 1024,
      params: { Bucket: bucket, Key: key, Body: pieces(data(12 * 1024 * 1024), 65536) } }).done();
    return { etag: out.ETag, crc32: null, sha256: null, ...(await readBack(key)) };
  },
});

const results = {};
for (const [name, run] of Object.entries(scenarios)) {
  try {
    results[name] = { ok: true, ...(await run(name)) };
  } catch (e) {
    results[name] = { ok: false, error: `${e.name}: ${e.message}` };
  }
}
process.stdout.write(JSON.stringify(results));
