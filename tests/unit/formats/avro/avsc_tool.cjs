// SPDX-License-Identifier: Apache-2.0
// avsc's side of avro_interop_test.py: reads an Avro object container file and prints its
// records as JSON lines, or writes one from JSON lines. The JSON is Avro's JSON encoding
// except that longs are strings (JSON numbers lose digits past 2^53 in JavaScript) and NaN and
// the infinities are the strings "NaN", "Infinity", "-Infinity". Longs are BigInts, unions
// wrapped, logical types left to their underlying types. The snappy codec (raw Snappy, then
// the big-endian CRC-32 of the block) comes from hysnappy, hyparquet's Snappy.
//
//   node avsc_tool.cjs NODE_MODULES read FILE
//   node avsc_tool.cjs NODE_MODULES write SCHEMA.json INPUT.jsonl OUTPUT CODEC BLOCK_BYTES META.json
//
// `read` prints the records, then {"codec": ..., "metadata": {key: latin-1 text}}.
'use strict';

const fs = require('fs');
const path = require('path');
const readline = require('readline');
const zlib = require('zlib');

const nodeModules = process.argv[2];
const avro = require(path.join(nodeModules, 'avsc'));

const BigLong = avro.types.LongType.__with({
  fromBuffer: (buf) => buf.readBigInt64LE(),
  toBuffer: (n) => {
    const buf = Buffer.alloc(8);
    buf.writeBigInt64LE(BigInt(n));
    return buf;
  },
  fromJSON: BigInt,
  toJSON: Number,
  isValid: (n) => typeof n === 'bigint',
  compare: (a, b) => (a === b ? 0 : a < b ? -1 : 1),
});

function typeOf(schema) {
  return avro.Type.forSchema(schema, {
    wrapUnions: true,
    typeHook: (s) => (s === 'long' || (s && s.type === 'long') ? BigLong : undefined),
  });
}

// The uncompressed length a raw Snappy block starts with (a little-endian base-128 varint).
function snappyLength(buf) {
  let length = 0;
  for (let i = 0, shift = 0; i < 5 && i < buf.length; i++, shift += 7) {
    length += (buf[i] & 0x7f) * 2 ** shift;
    if ((buf[i] & 0x80) === 0) return length;
  }
  throw new Error('bad snappy length');
}

async function codecs() {
  const snappy = await import(path.join(nodeModules, 'hysnappy', 'js', 'index.js'));
  return {
    null: (buf, cb) => cb(null, buf),
    deflate: zlib.deflateRaw,
    inflate: zlib.inflateRaw,
    snappyCompress: (buf, cb) => {
      const crc = Buffer.alloc(4);
      crc.writeUInt32BE(zlib.crc32(buf));
      cb(null, Buffer.concat([Buffer.from(snappy.snappyCompress(buf)), crc]));
    },
    snappyUncompress: (buf, cb) => {
      try {
        const data = buf.subarray(0, buf.length - 4);
        const out = Buffer.from(snappy.snappyUncompress(data, snappyLength(data)));
        if (zlib.crc32(out) !== buf.readUInt32BE(buf.length - 4)) throw new Error('snappy CRC');
        cb(null, out);
      } catch (err) {
        cb(err);
      }
    },
  };
}

function floatToJson(v) {
  if (Number.isNaN(v)) return 'NaN';
  if (v === Infinity) return 'Infinity';
  if (v === -Infinity) return '-Infinity';
  if (Object.is(v, -0)) return '-0.0';  // JSON.stringify(-0) is "0"
  return v;
}

function floatFromJson(j) {
  if (j === 'NaN') return NaN;
  if (j === 'Infinity') return Infinity;
  if (j === '-Infinity') return -Infinity;
  if (typeof j === 'string') return Number(j);
  return j;
}

function toJson(type, v) {
  switch (type.typeName) {
    case 'abstract:long':
      return v.toString();
    case 'float':
    case 'double':
      return floatToJson(v);
    case 'bytes':
    case 'fixed':
      return v.toString('latin1');
    case 'array':
      return v.map((x) => toJson(type.itemsType, x));
    case 'map':
      return Object.fromEntries(Object.entries(v).map(([k, x]) => [k, toJson(type.valuesType, x)]));
    case 'record':
      return Object.fromEntries(type.fields.map((f) => [f.name, toJson(f.type, v[f.name])]));
    case 'union:wrapped': {
      if (v === null) return null;
      const name = Object.keys(v)[0];
      const branch = type.types.find((t) => t.branchName === name);
      return { [name]: toJson(branch, v[name]) };
    }
    default:
      return v;
  }
}

function fromJson(type, j) {
  switch (type.typeName) {
    case 'abstract:long':
      return BigInt(j);
    case 'float':
    case 'double':
      return floatFromJson(j);
    case 'bytes':
    case 'fixed':
      return Buffer.from(j, 'latin1');
    case 'array':
      return j.map((x) => fromJson(type.itemsType, x));
    case 'map':
      return Object.fromEntries(Object.entries(j).map(([k, x]) => [k, fromJson(type.valuesType, x)]));
    case 'record':
      return Object.fromEntries(type.fields.map((f) => [f.name, fromJson(f.type, j[f.name])]));
    case 'union:wrapped': {
      if (j === null) return null;
      const name = Object.keys(j)[0];
      const branch = type.types.find((t) => t.branchName === name);
      return { [name]: fromJson(branch, j[name]) };
    }
    default:
      return j;
  }
}

async function read(file) {
  const c = await codecs();
  const decoder = new avro.streams.BlockDecoder({
    codecs: { null: c.null, deflate: c.inflate, snappy: c.snappyUncompress },
    parseHook: typeOf,
  });
  let type = null;
  let summary = null;
  const out = [];
  decoder.on('metadata', (t, codec, header) => {
    type = t;
    const metadata = {};
    for (const [k, v] of Object.entries(header.meta)) metadata[k] = v.toString('latin1');
    summary = { codec, metadata };
  });
  decoder.on('data', (record) => out.push(JSON.stringify(toJson(type, record))));
  await new Promise((resolve, reject) => {
    decoder.on('end', resolve);
    decoder.on('error', reject);
    fs.createReadStream(file).on('error', reject).pipe(decoder);
  });
  process.stdout.write(out.map((line) => line + '\n').join('') + JSON.stringify(summary) + '\n');
}

async function write(schemaFile, input, output, codec, blockBytes, metaFile) {
  const c = await codecs();
  const schema = JSON.parse(fs.readFileSync(schemaFile, 'utf8'));
  const type = typeOf(schema);
  const metadata = {};
  for (const [k, v] of Object.entries(JSON.parse(fs.readFileSync(metaFile, 'utf8')))) {
    metadata[k] = Buffer.from(v, 'latin1');
  }
  const encoder = new avro.streams.BlockEncoder(type, {
    codec,
    codecs: { null: c.null, deflate: c.deflate, snappy: c.snappyCompress },
    blockSize: Number(blockBytes),
    metadata,
  });
  const file = fs.createWriteStream(output);
  const done = new Promise((resolve, reject) => {
    file.on('close', resolve);
    file.on('error', reject);
    encoder.on('error', reject);
  });
  encoder.pipe(file);
  const lines = readline.createInterface({ input: fs.createReadStream(input) });
  for await (const line of lines) {
    if (line.trim() !== '') encoder.write(fromJson(type, JSON.parse(line)));
  }
  encoder.end();
  await done;
}

async function main() {
  const [command, ...args] = process.argv.slice(3);
  if (command === 'read') return read(...args);
  if (command === 'write') return write(...args);
  throw new Error('unknown command ' + command);
}

main().catch((err) => {
  process.stderr.write('avsc_tool: ' + (err && err.stack ? err.stack : err) + '\n');
  process.exit(1);
});
