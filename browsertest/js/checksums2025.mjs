// Uploads to s3cors serve from Node with the AWS SDK for JavaScript v3 and
// the checksums S3 added in 2025, and prints what the SDK reported as JSON
// on standard output. The Go test (checksums2025_test.go) starts the
// endpoint, runs this script, records what reached the endpoint and
// checks every field.
//
// The SDK names XXHASH64, XXHASH3 and XXHASH128 but computes none of them
// by itself: its flexible checksums middleware throws "is not supported
// by the client" unless the client is given an implementation
// (checksumAlgorithms). The implementations come with the SDK, in
// @aws-sdk/checksums/xxh, a dependency of @aws-sdk/client-s3 that is in
// package-lock.json; it is loaded from where client-s3 finds it, so that
// no package is added. MD5 it computes by itself, but sends as
// Content-MD5, never as x-amz-checksum-md5, and on GetObject looks for
// Content-MD5 only.
//
// usage: node checksums2025.mjs ENDPOINT BUCKET ACCESS_KEY SECRET_KEY
import { data, pieces } from "./bodies.mjs";
import { createHash } from "node:crypto";
import { createRequire } from "node:module";
import {
  S3Client, PutObjectCommand, GetObjectCommand,
  CreateMultipartUploadCommand, UploadPartCommand, CompleteMultipartUploadCommand,
} from "@aws-sdk/client-s3";
import { Upload } from "@aws-sdk/lib-storage";

const require = createRequire(import.meta.url);
const { Xxh64, Xxh3_64, Xxh3_128 } = createRequire(require.resolve("@aws-sdk/client-s3"))("@aws-sdk/checksums/xxh");

const [endpoint, bucket, accessKeyId, secretAccessKey] = process.argv.slice(2);
const config = {
  endpoint,
  region: "us-east-1",
  forcePathStyle: true,
  credentials: { accessKeyId, secretAccessKey },
  maxAttempts: 1,
};
const client = new S3Client({ ...config, checksumAlgorithms: { XXHASH64: Xxh64, XXHASH3: Xxh3_64, XXHASH128: Xxh3_128 } });
// plain is a client as it comes, without the implementations.
const plain = new S3Client(config);

// field is the name of the SDK's output member for an algorithm.
const field = alg => `Checksum${alg}`;

// readBack gets key with checksum mode, so that the SDK validates the
// body against the checksum returned as it reads it, and reports what it
// read.
async function readBack(key, alg) {
  const got = await client.send(new GetObjectCommand({ Bucket: bucket, Key: key, ChecksumMode: "ENABLED" }));
  const body = Buffer.from(await got.Body.transformToByteArray());
  return { getChecksum: got[field(alg)] ?? null, getType: got.ChecksumType ?? null,
    getSHA256: createHash("sha256").update(body).digest("hex"), getLength: body.length };
}

// failure reports an error the SDK threw.
const failure = e => ({ error: `${e.name}: ${e.message}`, status: e.$metadata?.httpStatusCode ?? 0 });

const scenarios = {};
for (const alg of ["XXHASH64", "XXHASH3", "XXHASH128"]) {
  const a = alg.toLowerCase();
  Object.assign(scenarios, {
    // Without an implementation the SDK refuses before sending anything.
    [`plain-${a}`]: async key => {
      try {
        await plain.send(new PutObjectCommand({ Bucket: bucket, Key: key, Body: data(10), ChecksumAlgorithm: alg }));
        return { sent: true };
      } catch (e) {
        return failure(e);
      }
    },
    // A buffer: the checksum goes in a header.
    [`buffer-${a}`]: async key => {
      const out = await client.send(new PutObjectCommand({ Bucket: bucket, Key: key, Body: data(5000), ChecksumAlgorithm: alg }));
      return { etag: out.ETag, checksum: out[field(alg)] ?? null, type: out.ChecksumType ?? null, ...(await readBack(key, alg)) };
    },
    // "Hello world", whose checksums AWS's aws-checksums tests give.
    [`hello-${a}`]: async key => {
      const out = await client.send(new PutObjectCommand({ Bucket: bucket, Key: key, Body: "Hello world", ChecksumAlgorithm: alg }));
      return { etag: out.ETag, checksum: out[field(alg)] ?? null, type: out.ChecksumType ?? null, ...(await readBack(key, alg)) };
    },
    // A stream: aws-chunked with a trailing checksum.
    [`stream-${a}`]: async key => {
      const out = await client.send(new PutObjectCommand({ Bucket: bucket, Key: key, Body: pieces(data(100000), 8192), ContentLength: 100000,
        ChecksumAlgorithm: alg }));
      return { etag: out.ETag, checksum: out[field(alg)] ?? null, type: out.ChecksumType ?? null, ...(await readBack(key, alg)) };
    },
    // The checksum of another body, given: refused, and nothing stored.
    [`wrong-${a}`]: async key => {
      const other = await client.send(new PutObjectCommand({ Bucket: bucket, Key: `${key}-other`, Body: data(4999), ChecksumAlgorithm: alg }));
      const r = { checksum: other[field(alg)] ?? null };
      try {
        await client.send(new PutObjectCommand({ Bucket: bucket, Key: key, Body: data(5000), [field(alg)]: other[field(alg)] }));
        r.sent = true;
      } catch (e) {
        Object.assign(r, failure(e), { code: e.Code ?? null });
      }
      try {
        await client.send(new GetObjectCommand({ Bucket: bucket, Key: key }));
        r.stored = true;
      } catch (e) {
        r.getError = e.name;
      }
      return r;
    },
    // GetObject with checksum mode of an object whose checksum the Go
    // test changes on the way back: the SDK must notice as it reads.
    [`corrupt-${a}`]: async key => {
      await client.send(new PutObjectCommand({ Bucket: bucket, Key: key, Body: data(5000), ChecksumAlgorithm: alg }));
      try {
        return { ...(await readBack(key, alg)), read: true };
      } catch (e) {
        return failure(e);
      }
    },
    // A multipart upload: CreateMultipartUpload names the algorithm, the
    // SDK computes the parts' checksums, which the completion lists.
    [`part-${a}`]: async key => {
      const created = await client.send(new CreateMultipartUploadCommand({ Bucket: bucket, Key: key, ChecksumAlgorithm: alg }));
      const whole = data(5 * 1024 * 1024 + 3000);
      const bodies = [whole.subarray(0, 5 * 1024 * 1024), whole.subarray(5 * 1024 * 1024)];
      const parts = [];
      for (const [i, b] of bodies.entries()) {
        // The second part is a stream, sent aws-chunked with a trailer.
        const body = i === 0 ? b : pieces(b, 16384);
        const p = await client.send(new UploadPartCommand({ Bucket: bucket, Key: key, UploadId: created.UploadId, PartNumber: i + 1,
          Body: body, ContentLength: b.length, ChecksumAlgorithm: alg }));
        parts.push({ PartNumber: i + 1, ETag: p.ETag, [field(alg)]: p[field(alg)] });
      }
      const out = await client.send(new CompleteMultipartUploadCommand({ Bucket: bucket, Key: key, UploadId: created.UploadId,
        MultipartUpload: { Parts: parts } }));
      return { createAlgorithm: created.ChecksumAlgorithm ?? null, createType: created.ChecksumType ?? null,
        partChecksums: parts.map(p => p[field(alg)] ?? null), etag: out.ETag, checksum: out[field(alg)] ?? null,
        type: out.ChecksumType ?? null, ...(await readBack(key, alg)) };
    },
    // lib-storage's Upload in two parts: it computes the parts' checksums
    // but lists in the completion only those of the CRCs and SHAs it
    // knows, so S3 refuses the completion.
    [`upload-${a}`]: async key => {
      try {
        await new Upload({ client, partSize: 5 * 1024 * 1024,
          params: { Bucket: bucket, Key: key, Body: data(5 * 1024 * 1024 + 3000), ChecksumAlgorithm: alg } }).done();
        return { sent: true };
      } catch (e) {
        return { ...failure(e), code: e.Code ?? null };
      }
    },
  });
}

// MD5, which the SDK computes without help.
Object.assign(scenarios, {
  // A buffer: the MD5 goes in Content-MD5, with x-amz-sdk-checksum-algorithm
  // MD5 but no x-amz-checksum-md5.
  "md5-buffer": async key => {
    try {
      await plain.send(new PutObjectCommand({ Bucket: bucket, Key: key, Body: data(5000), ChecksumAlgorithm: "MD5" }));
      return { sent: true };
    } catch (e) {
      return { ...failure(e), code: e.Code ?? null };
    }
  },
  // A stream: aws-chunked with "content-md5" as its trailer.
  "md5-stream": async key => {
    try {
      await plain.send(new PutObjectCommand({ Bucket: bucket, Key: key, Body: pieces(data(100000), 8192), ContentLength: 100000,
        ChecksumAlgorithm: "MD5" }));
      return { sent: true };
    } catch (e) {
      return { ...failure(e), code: e.Code ?? null };
    }
  },
  // The MD5 given as ChecksumMD5 is sent as x-amz-checksum-md5 and kept;
  // GetObject with checksum mode returns it, changed on the way back by
  // the Go test, and the SDK does not notice.
  "corrupt-md5": async key => {
    const sum = createHash("md5").update(data(5000)).digest("base64");
    const out = await plain.send(new PutObjectCommand({ Bucket: bucket, Key: key, Body: data(5000), ChecksumMD5: sum }));
    return { etag: out.ETag, checksum: out.ChecksumMD5 ?? null, type: out.ChecksumType ?? null, ...(await readBack(key, "MD5")), read: true };
  },
});

const results = {};
for (const [name, run] of Object.entries(scenarios)) {
  try {
    results[name] = { ok: true, ...(await run(name)) };
  } catch (e) {
    results[name] = { ok: false, ...failure(e) };
  }
}
process.stdout.write(JSON.stringify(results));
