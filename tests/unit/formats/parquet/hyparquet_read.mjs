// SPDX-License-Identifier: Apache-2.0
// Prints the rows hyparquet (npm, with hyparquet-compressors) reads from a Parquet file as one
// JSON array: BigInt as decimal strings, bytes as base64, dates and timestamps as epoch
// milliseconds (null when JavaScript's Date cannot hold them).
//   node hyparquet_read.mjs NODE_MODULES FILE
import path from 'node:path'
import { pathToFileURL } from 'node:url'

const [modules, file] = process.argv.slice(2)
const load = (p) => import(pathToFileURL(path.join(modules, p)).href)
const { asyncBufferFromFile, parquetReadObjects } = await load('hyparquet/src/node.js')
const { compressors } = await load('hyparquet-compressors/src/index.js')
// utf8: false: BYTE_ARRAY without a STRING annotation stays bytes.
const rows = await parquetReadObjects({ file: await asyncBufferFromFile(file), compressors, utf8: false })
console.log(JSON.stringify(rows, function (key, value) {
  const raw = this[key]  // before Date's toJSON
  if (raw instanceof Date) return Number.isNaN(raw.getTime()) ? null : raw.getTime()
  if (typeof value === 'bigint') return value.toString()
  if (value instanceof Uint8Array) return Buffer.from(value).toString('base64')
  return value
}))
