// libpq for the PostgreSQL history. See pg_support.hpp.

#include "pg_support.hpp"

#include <bit>
#include <cstring>

namespace gt::connectors::pg {
namespace {

// SQLSTATEs after which the same work may succeed later: connection exceptions (class 08), serialization failure,
// deadlock, lock not available (lock_timeout), the server shutting down or starting, too many connections, and a
// row for which no partition exists (another connection's retention dropped one this connection still knew).
bool transientState(const std::string& state) {
  if (state.rfind("08", 0) == 0) return true;
  for (const char* s : {"40001", "40P01", "55P03", "57P01", "57P02", "57P03", "53300", "23514"}) {
    if (state == s) return true;
  }
  return false;
}

}  // namespace

std::string describe(PGconn* conn, const std::string& conninfo) {
  std::string db, host, port;
  if (conn != nullptr && PQstatus(conn) == CONNECTION_OK) {
    db = PQdb(conn) != nullptr ? PQdb(conn) : "";
    host = PQhost(conn) != nullptr ? PQhost(conn) : "";
    port = PQport(conn) != nullptr ? PQport(conn) : "";
  } else if (PQconninfoOption* options = PQconninfoParse(conninfo.c_str(), nullptr)) {
    for (PQconninfoOption* o = options; o->keyword != nullptr; ++o) {
      if (o->val == nullptr) continue;
      if (std::strcmp(o->keyword, "dbname") == 0) db = o->val;
      if (std::strcmp(o->keyword, "host") == 0) host = o->val;
      if (std::strcmp(o->keyword, "port") == 0) port = o->val;
    }
    PQconninfoFree(options);
  }
  std::string out = "PostgreSQL history '" + db + "'";
  if (!host.empty()) out += " on " + host + (port.empty() ? "" : ":" + port);
  return out;
}

void putBigEndian(std::string& out, std::uint64_t v, int bytes) {
  for (int i = bytes - 1; i >= 0; --i) out.push_back(static_cast<char>((v >> (8 * i)) & 0xff));
}

std::int64_t readBigEndian(const char* p, int bytes) {
  std::uint64_t v = 0;
  for (int i = 0; i < bytes; ++i) v = (v << 8) | static_cast<std::uint8_t>(p[i]);
  if (bytes < 8 && (v >> (8 * bytes - 1)) != 0) v |= ~std::uint64_t{0} << (8 * bytes);  // sign-extend
  return static_cast<std::int64_t>(v);
}

Params& Params::int8(std::int64_t v) {
  std::string b;
  putBigEndian(b, static_cast<std::uint64_t>(v), 8);
  values_.push_back(std::move(b));
  return *this;
}
Params& Params::int4(std::int32_t v) {
  std::string b;
  putBigEndian(b, static_cast<std::uint32_t>(v), 4);
  values_.push_back(std::move(b));
  return *this;
}
Params& Params::int2(std::int16_t v) {
  std::string b;
  putBigEndian(b, static_cast<std::uint16_t>(v), 2);
  values_.push_back(std::move(b));
  return *this;
}
Params& Params::bytes(std::span<const std::uint8_t> v) {
  values_.emplace_back(reinterpret_cast<const char*>(v.data()), v.size());
  return *this;
}
Params& Params::raw(std::string v) {
  values_.push_back(std::move(v));
  return *this;
}
void Params::pointers(std::vector<const char*>& values, std::vector<int>& lengths) const {
  values.clear();
  lengths.clear();
  for (const std::string& v : values_) {
    values.push_back(v.data());
    lengths.push_back(static_cast<int>(v.size()));
  }
}

void ArrayBuilder::integer(std::int64_t v, int bytes) {
  putBigEndian(body_, static_cast<std::uint32_t>(bytes), 4);
  putBigEndian(body_, static_cast<std::uint64_t>(v), bytes);
  ++count_;
}
void ArrayBuilder::bytes(std::span<const std::uint8_t> v) {
  putBigEndian(body_, static_cast<std::uint32_t>(v.size()), 4);
  body_.append(reinterpret_cast<const char*>(v.data()), v.size());
  ++count_;
}
void ArrayBuilder::float8(double v) { integer(static_cast<std::int64_t>(std::bit_cast<std::uint64_t>(v)), 8); }
std::string ArrayBuilder::finish() const {
  // ndim, has-nulls flag, element type, then per dimension its length and lower bound; then the elements.
  std::string out;
  out.reserve(20 + body_.size());
  putBigEndian(out, 1, 4);
  putBigEndian(out, 0, 4);
  putBigEndian(out, oid_, 4);
  putBigEndian(out, static_cast<std::uint32_t>(count_), 4);
  putBigEndian(out, 1, 4);
  out += body_;
  return out;
}

void CopyRows::row(int fields) {
  putBigEndian(body_, static_cast<std::uint16_t>(fields), 2);
  ++rows_;
}
void CopyRows::int8(std::int64_t v) {
  putBigEndian(body_, 8, 4);
  putBigEndian(body_, static_cast<std::uint64_t>(v), 8);
}
void CopyRows::float8(double v) {
  putBigEndian(body_, 8, 4);
  putBigEndian(body_, std::bit_cast<std::uint64_t>(v), 8);
}
void CopyRows::raw(const std::string& v) {
  putBigEndian(body_, static_cast<std::uint32_t>(v.size()), 4);
  body_ += v;
}
std::string CopyRows::finish() const {
  // The signature, flags (no OIDs), no header extension; the tuples; -1 as the field count ends the data.
  static const char kSignature[] = "PGCOPY\n\377\r\n";
  std::string out(kSignature, 11);
  putBigEndian(out, 0, 4);
  putBigEndian(out, 0, 4);
  out.reserve(out.size() + body_.size() + 2);
  out += body_;
  putBigEndian(out, 0xffff, 2);
  return out;
}

Connection::~Connection() {
  if (conn_ != nullptr) PQfinish(conn_);
}

Status Connection::open(const std::string& conninfo) {
  conn_ = PQconnectdb(conninfo.c_str());
  where_ = describe(conn_, conninfo);
  if (conn_ == nullptr || PQstatus(conn_) != CONNECTION_OK) {
    const std::string message = conn_ != nullptr ? PQerrorMessage(conn_) : "out of memory";
    lastTransient_ = true;
    return {ErrorCode::IoError, where_ + ": cannot connect: " + message};
  }
  // Quiet: notices (CREATE TABLE IF NOT EXISTS of a partition that is there) would go to stderr otherwise.
  PQsetNoticeProcessor(conn_, [](void*, const char*) {}, nullptr);
  return Status::ok();
}

bool Connection::connected() const { return conn_ != nullptr && PQstatus(conn_) == CONNECTION_OK; }

bool Connection::reconnect() {
  prepared_.clear();
  if (conn_ == nullptr) return false;
  PQreset(conn_);
  return connected();
}

Status Connection::fail(const PGresult* r, const char* what) {
  const char* state = r != nullptr ? PQresultErrorField(r, PG_DIAG_SQLSTATE) : nullptr;
  lastState_ = state != nullptr ? state : "";
  const bool lost = PQstatus(conn_) != CONNECTION_OK;
  lastTransient_ = lost || transientState(lastState_);
  std::string message = r != nullptr ? PQresultErrorMessage(r) : "";
  if (message.empty()) message = PQerrorMessage(conn_);
  while (!message.empty() && (message.back() == '\n' || message.back() == ' ')) message.pop_back();
  if (lost) message += " (connection lost)";
  return {lastTransient_ ? ErrorCode::IoError : ErrorCode::Internal, where_ + ": " + what + ": " + message};
}

Status Connection::exec(const std::string& sql, const char* what) {
  ResultPtr r(PQexec(conn_, sql.c_str()));
  const ExecStatusType status = r ? PQresultStatus(r.get()) : PGRES_FATAL_ERROR;
  if (status != PGRES_COMMAND_OK && status != PGRES_TUPLES_OK) return fail(r.get(), what);
  return Status::ok();
}

Result<ResultPtr> Connection::run(const char* name, const char* sql, const Params& params, const char* what) {
  if (!prepared_.contains(name)) {
    ResultPtr p(PQprepare(conn_, name, sql, 0, nullptr));
    if (!p || PQresultStatus(p.get()) != PGRES_COMMAND_OK) return fail(p.get(), what);
    prepared_.insert(name);
  }
  thread_local std::vector<const char*> values;
  thread_local std::vector<int> lengths;
  thread_local std::vector<int> formats;
  params.pointers(values, lengths);
  formats.assign(values.size(), 1);
  ResultPtr r(PQexecPrepared(conn_, name, params.size(), values.data(), lengths.data(), formats.data(), 1));
  const ExecStatusType status = r ? PQresultStatus(r.get()) : PGRES_FATAL_ERROR;
  if (status != PGRES_COMMAND_OK && status != PGRES_TUPLES_OK) return fail(r.get(), what);
  return r;
}

Status Connection::copyIn(const char* sql, const std::string& rows, const char* what) {
  ResultPtr start(PQexec(conn_, sql));
  if (!start || PQresultStatus(start.get()) != PGRES_COPY_IN) return fail(start.get(), what);
  if (PQputCopyData(conn_, rows.data(), static_cast<int>(rows.size())) != 1 || PQputCopyEnd(conn_, nullptr) != 1) {
    while (ResultPtr rest{PQgetResult(conn_)}) {
    }
    return fail(nullptr, what);
  }
  Status status = Status::ok();
  // The COPY's own result, then the end of the exchange (nullptr).
  while (ResultPtr r{PQgetResult(conn_)}) {
    if (status && PQresultStatus(r.get()) != PGRES_COMMAND_OK) status = fail(r.get(), what);
  }
  return status;
}

Result<ResultPtr> Connection::query(const std::string& sql, const char* what) {
  ResultPtr r(PQexec(conn_, sql.c_str()));
  const ExecStatusType status = r ? PQresultStatus(r.get()) : PGRES_FATAL_ERROR;
  if (status != PGRES_COMMAND_OK && status != PGRES_TUPLES_OK) return fail(r.get(), what);
  return r;
}

}  // namespace gt::connectors::pg
