// SPDX-License-Identifier: Apache-2.0
// Iceberg Java's JdbcCatalog (iceberg-core, from tests/referees/iceberg-jdbc/pom.xml) on a
// catalog cqlbulk shares, for jdbc_interop_test.py. One operation per run; prints JSON.
//
//   java -cp 'LIB/*' JdbcReferee.java JDBC_URL WAREHOUSE OPERATION [ARGS...]
//     namespaces [PARENT]          the namespaces one level below PARENT
//     namespace-properties NS      the namespace's properties
//     tables NS                    the tables in NS
//     load TABLE                   {"location", "columns", "snapshot"} of the current metadata
//     set-property TABLE KEY VALUE commits a property change; prints the new location
//     create-namespace NS [K=V..]  creates NS with properties
//     register TABLE LOCATION      registers an existing metadata file as TABLE
//
// Files are read and written through LocalFileIO below (iceberg-core's default FileIO needs
// Hadoop, which this referee does not fetch). System properties jdbc.user (the database user)
// and jdbc.schema-version (V0, JdbcCatalog's default, or V1 with iceberg_type) go to the catalog.
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.RandomAccessFile;
import java.io.UncheckedIOException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.apache.iceberg.HasTableOperations;
import org.apache.iceberg.Snapshot;
import org.apache.iceberg.Table;
import org.apache.iceberg.catalog.Namespace;
import org.apache.iceberg.catalog.TableIdentifier;
import org.apache.iceberg.io.FileIO;
import org.apache.iceberg.io.InputFile;
import org.apache.iceberg.io.OutputFile;
import org.apache.iceberg.io.PositionOutputStream;
import org.apache.iceberg.io.SeekableInputStream;
import org.apache.iceberg.jdbc.JdbcCatalog;
import org.apache.iceberg.types.Types;

public class JdbcReferee {
  static Path toPath(String location) {
    return location.startsWith("file:") ? Paths.get(URI.create(location)) : Paths.get(location);
  }

  static class LocalFileIO implements FileIO {
    @Override
    public InputFile newInputFile(String location) {
      return new InputFile() {
        public long getLength() {
          try {
            return Files.size(toPath(location));
          } catch (IOException e) {
            throw new UncheckedIOException(e);
          }
        }

        public SeekableInputStream newStream() {
          try {
            RandomAccessFile file = new RandomAccessFile(toPath(location).toFile(), "r");
            return new SeekableInputStream() {
              public long getPos() throws IOException {
                return file.getFilePointer();
              }

              public void seek(long pos) throws IOException {
                file.seek(pos);
              }

              public int read() throws IOException {
                return file.read();
              }

              public int read(byte[] b, int off, int len) throws IOException {
                return file.read(b, off, len);
              }

              public void close() throws IOException {
                file.close();
              }
            };
          } catch (IOException e) {
            throw new UncheckedIOException(e);
          }
        }

        public String location() {
          return location;
        }

        public boolean exists() {
          return Files.exists(toPath(location));
        }
      };
    }

    @Override
    public OutputFile newOutputFile(String location) {
      return new OutputFile() {
        public PositionOutputStream create() {
          return open(StandardOpenOption.CREATE_NEW);
        }

        public PositionOutputStream createOrOverwrite() {
          return open(StandardOpenOption.CREATE);
        }

        PositionOutputStream open(StandardOpenOption mode) {
          try {
            Path path = toPath(location);
            Files.createDirectories(path.getParent());
            java.io.OutputStream out = Files.newOutputStream(path, mode,
                StandardOpenOption.WRITE, StandardOpenOption.TRUNCATE_EXISTING);
            return new PositionOutputStream() {
              long pos = 0;

              public long getPos() {
                return pos;
              }

              public void write(int b) throws IOException {
                out.write(b);
                pos++;
              }

              public void write(byte[] b, int off, int len) throws IOException {
                out.write(b, off, len);
                pos += len;
              }

              public void close() throws IOException {
                out.close();
              }
            };
          } catch (IOException e) {
            throw new UncheckedIOException(e);
          }
        }

        public String location() {
          return location;
        }

        public InputFile toInputFile() {
          return newInputFile(location);
        }
      };
    }

    @Override
    public void deleteFile(String location) {
      try {
        Files.deleteIfExists(toPath(location));
      } catch (IOException e) {
        throw new UncheckedIOException(e);
      }
    }
  }

  static List<String> names(List<Namespace> namespaces) {
    List<String> out = new ArrayList<>();
    for (Namespace ns : namespaces) out.add(String.join(".", ns.levels()));
    return out;
  }

  public static void main(String[] args) throws Exception {
    Map<String, String> properties = new HashMap<>();
    properties.put("uri", args[0]);
    properties.put("warehouse", args[1]);
    for (String key : new String[] {"jdbc.user", "jdbc.schema-version"}) {
      if (System.getProperty(key) != null) properties.put(key, System.getProperty(key));
    }
    JdbcCatalog catalog = new JdbcCatalog(p -> new LocalFileIO(), null, true);
    catalog.initialize("shared", properties);
    String op = args[2];
    Object result;
    switch (op) {
      case "namespaces":
        result = names(args.length > 3 ? catalog.listNamespaces(Namespace.of(args[3].split("\\.")))
                                       : catalog.listNamespaces());
        break;
      case "namespace-properties":
        result = catalog.loadNamespaceMetadata(Namespace.of(args[3].split("\\.")));
        break;
      case "tables": {
        List<String> tables = new ArrayList<>();
        for (TableIdentifier id : catalog.listTables(Namespace.of(args[3].split("\\.")))) {
          tables.add(id.toString());
        }
        result = tables;
        break;
      }
      case "load": {
        Table table = catalog.loadTable(TableIdentifier.parse(args[3]));
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("location",
                ((HasTableOperations) table).operations().current().metadataFileLocation());
        List<String> columns = new ArrayList<>();
        for (Types.NestedField f : table.schema().columns()) columns.add(f.name());
        out.put("columns", columns);
        Snapshot snapshot = table.currentSnapshot();
        out.put("snapshot", snapshot == null ? null : snapshot.snapshotId());
        out.put("properties", table.properties());
        result = out;
        break;
      }
      case "set-property": {
        Table table = catalog.loadTable(TableIdentifier.parse(args[3]));
        table.updateProperties().set(args[4], args[5]).commit();
        result = ((HasTableOperations) table).operations().refresh().metadataFileLocation();
        break;
      }
      case "create-namespace": {
        Map<String, String> props = new HashMap<>();
        for (int i = 4; i < args.length; i++) {
          String[] kv = args[i].split("=", 2);
          props.put(kv[0], kv.length > 1 ? kv[1] : "");
        }
        catalog.createNamespace(Namespace.of(args[3].split("\\.")), props);
        result = "ok";
        break;
      }
      case "register":
        catalog.registerTable(TableIdentifier.parse(args[3]), args[4]);
        result = "ok";
        break;
      default:
        throw new IllegalArgumentException("unknown operation " + op);
    }
    System.out.println(new ObjectMapper().writeValueAsString(result));
    catalog.close();
  }
}
