// The browser side of the JavaScript SDK tests (sdk_browser_test.go):
// bundled by esbuild's Go API inside the Go test, served from the page's
// origin, and run in headless Chromium against s3cors serve on another
// origin. runScenarios reports, for each scenario, what the page could
// see; the Go test checks it and what reached the endpoint.
import { S3Client, GetObjectCommand } from "@aws-sdk/client-s3";
import { Upload } from "@aws-sdk/lib-storage";
import { createPresignedPost } from "@aws-sdk/s3-presigned-post";

// content returns n bytes that the Go test makes the same way: byte i is
// (i*31+7) mod 256.
function content(n) {
  const b = new Uint8Array(n);
  for (let i = 0; i < n; i++) b[i] = (i * 31 + 7) & 255;
  return b;
}

async function sha256Hex(bytes) {
  const sum = new Uint8Array(await crypto.subtle.digest("SHA-256", bytes));
  return Array.from(sum, b => b.toString(16).padStart(2, "0")).join("");
}

function client(target) {
  return new S3Client({
    endpoint: target.endpoint,
    region: "us-east-1",
    forcePathStyle: true,
    credentials: { accessKeyId: target.accessKey, secretAccessKey: target.secretKey },
    maxAttempts: 1,
  });
}

// readBack reads an object with GetObject, through CORS.
async function readBack(s3, bucket, key) {
  const got = await s3.send(new GetObjectCommand({ Bucket: bucket, Key: key }));
  const bytes = await got.Body.transformToByteArray();
  return { getETag: got.ETag, getSHA256: await sha256Hex(bytes), getLength: bytes.length };
}

// postWithFetch uploads with createPresignedPost's URL and fields, sent
// by fetch as FormData: a simple request, no preflight; the 201 answer
// and its ETag are read through CORS.
async function postWithFetch(target) {
  const s3 = client(target);
  const { url, fields } = await createPresignedPost(s3, {
    Bucket: target.bucket,
    Key: "fetch/${filename}",
    Conditions: [["content-length-range", 1, 1048576], ["eq", "$success_action_status", "201"]],
    Fields: { success_action_status: "201" },
    Expires: 300,
  });
  const form = new FormData();
  for (const [name, value] of Object.entries(fields)) form.append(name, value);
  form.append("file", new Blob([content(3000)]), "photo.bin");
  const resp = await fetch(url, { method: "POST", body: form });
  const text = await resp.text();
  return {
    status: resp.status,
    etag: resp.headers.get("etag"),
    location: resp.headers.get("location"),
    body: text,
    url,
    ...(await readBack(s3, target.bucket, "fetch/photo.bin")),
  };
}

// postWithForm submits a plain HTML form, whose file input holds a file,
// into an iframe; success_action_redirect brings the iframe back to the
// page's origin, where landing.html reports its query.
async function postWithForm(target) {
  const s3 = client(target);
  const redirect = location.origin + "/landing.html";
  const { url, fields } = await createPresignedPost(s3, {
    Bucket: target.bucket,
    Key: "form/${filename}",
    Conditions: [["starts-with", "$success_action_redirect", location.origin]],
    Fields: { success_action_redirect: redirect },
    Expires: 300,
  });
  const frame = document.createElement("iframe");
  frame.name = "upload-" + target.name;
  document.body.appendChild(frame);
  const form = document.createElement("form");
  form.action = url;
  form.method = "post";
  form.enctype = "multipart/form-data";
  form.target = frame.name;
  for (const [name, value] of Object.entries(fields)) {
    const input = document.createElement("input");
    input.type = "hidden";
    input.name = name;
    input.value = value;
    form.appendChild(input);
  }
  const input = document.createElement("input");
  input.type = "file";
  input.name = "file";
  const files = new DataTransfer();
  files.items.add(new File([content(4000)], "form.bin", { type: "application/octet-stream" }));
  input.files = files.files;
  form.appendChild(input);
  document.body.appendChild(form);
  const landed = new Promise((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error("the form's redirect never came back")), 20000);
    addEventListener("message", function listen(e) {
      if (e.origin === location.origin && e.source === frame.contentWindow) {
        clearTimeout(timer);
        removeEventListener("message", listen);
        resolve(e.data);
      }
    });
  });
  form.submit();
  const query = await landed;
  return { query, ...(await readBack(s3, target.bucket, "form/form.bin")) };
}

// uploadMultipart uploads 12 MiB in parts of 5 MiB with lib-storage,
// which reads each part's ETag through CORS, and each part's CRC32: it
// creates the upload with CRC32, the SDK's default, and completes it with
// the parts' checksums it could read.
async function uploadMultipart(target, bucket) {
  const s3 = client(target);
  const upload = new Upload({
    client: s3,
    params: { Bucket: bucket, Key: "multipart.bin", Body: new Blob([content(12 * 1024 * 1024)]) },
    partSize: 5 * 1024 * 1024,
    queueSize: 2,
  });
  const out = await upload.done();
  return { etag: out.ETag, ...(await readBack(s3, bucket, "multipart.bin")) };
}

async function attempt(run) {
  try {
    return { ok: true, ...(await run()) };
  } catch (e) {
    return { ok: false, error: `${e.name}: ${e.message}` };
  }
}

// runScenarios runs every scenario against every target, one at a time.
export async function runScenarios(config) {
  const results = {};
  for (const target of config.targets) {
    results[target.name + "/post-fetch"] = await attempt(() => postWithFetch(target));
    results[target.name + "/post-form"] = await attempt(() => postWithForm(target));
    results[target.name + "/multipart"] = await attempt(() => uploadMultipart(target, target.bucket));
    results[target.name + "/multipart-no-etag"] = await attempt(() => uploadMultipart(target, target.bucketNoETag));
    results[target.name + "/multipart-no-checksum"] = await attempt(() => uploadMultipart(target, target.bucketNoChecksum));
  }
  return results;
}

globalThis.runScenarios = runScenarios;
