// SPDX-License-Identifier: Apache-2.0
// Reads an Iceberg table of local files with icebird (npm): prints {"rows": N, "first": {...}}.
//   node icebird_read.mjs NODE_MODULES TABLE_LOCATION METADATA_FILE_NAME
import { readFileSync, statSync } from 'node:fs'
import { pathToFileURL } from 'node:url'
import path from 'node:path'

const [modules, location, metadataFileName] = process.argv.slice(2)
// icebird fetches every file: serve local paths (and file:// URLs), with HEAD and Range.
globalThis.fetch = async (url, init = {}) => {
  let p = String(url).replace(/^file:\/\//, '').replace(/^http:\/\/local/, '')
  const headers = new Headers(init.headers || {})
  if ((init.method || 'GET') === 'HEAD') {
    return new Response(null, { status: 200, headers: { 'content-length': String(statSync(p).size) } })
  }
  const data = readFileSync(p)
  const range = headers.get('range')
  if (range) {
    const [, a, b] = range.match(/bytes=(\d+)-(\d*)/)
    const end = b === '' ? data.length : Number(b) + 1
    return new Response(data.subarray(Number(a), end), { status: 206 })
  }
  return new Response(data, { status: 200 })
}
const { icebergRead } = await import(pathToFileURL(path.join(modules, 'icebird', 'src', 'index.js')))
const rows = await icebergRead({ tableUrl: 'http://local' + location, metadataFileName })
const first = rows.length ? Object.fromEntries(Object.entries(rows[0]).map(([k, v]) => [k, typeof v === 'bigint' ? Number(v) : (typeof v === 'number' ? v : String(v))])) : null
console.log(JSON.stringify({ rows: rows.length, first }))
