// kioskctl exam and certificate commands:
//   verify-certificate FILE|TEXT [--keys device-keys.json] [--county-key HEX]
//   device-keys                 this kiosk's entry for the published key list
//   certificates                list issued certificates
//   certificate-json NUMBER -o FILE
//   certificate-pdf NUMBER -o FILE [--png FILE] [--qr FILE]
#include <fmt/format.h>

#include <filesystem>
#include <memory>
#include <optional>

#include "app/ctl/ctl.h"
#include "common/fs.h"
#include "kiosk/certificate_issue.h"
#include "kiosk/certificate_render.h"
#include "kiosk/store.h"
#include "sync/protocol/certificate.h"
#include "sync/protocol/certificate_confirm.h"

namespace chz::ctl {

namespace {

struct ExamOpts {
  std::string input, keys, county_key, number, out, png, qr;
};

Result<sync::DeviceKeys> local_keys(Context& ctx) {
  CHZ_ASSIGN_OR_RETURN(kiosk::Store store, kiosk::Store::open(ctx.data));
  CHZ_ASSIGN_OR_RETURN(kiosk::DeviceIdentity id, store.identity());
  sync::DeviceKeys k;
  k.by_device[id.device_id].push_back(id.public_key);
  return k;
}

// The county content key: --county-key HEX, else this kiosk's
// county.content_pub; nullopt when neither is there.
Result<std::optional<Key32>> county_key(Context& ctx, const ExamOpts& o) {
  std::string text = o.county_key;
  if (text.empty()) {
    auto store = kiosk::Store::open(ctx.data);
    if (!store.ok()) return std::optional<Key32>();
    auto k = store->setting("county.content_pub");
    if (!k.ok()) return std::optional<Key32>();
    text = *k;
  }
  auto b = unhex(text);
  if (!b.ok() || b->size() != 32)
    return Status(Code::kInvalidArgument, "the county key is not 32 bytes of hex");
  Key32 k;
  std::copy(b->begin(), b->end(), k.begin());
  return std::optional<Key32>(k);
}

// Reports each county-signed confirmation and the status they establish;
// returns the first failed check (the document is then not valid).
Status report_confirmations(const std::string& text, const sync::CertificateData& d,
                            const std::optional<Key32>& county) {
  auto doc = sync::check_document_confirmations(text, d.number, county ? &*county : nullptr);
  std::string covered;
  for (const auto& f : sync::confirmation_fields())
    covered += fmt::format("{}{}({})", covered.empty() ? "" : "、", f.label, f.key);
  Status first;
  for (const auto& ch : doc.checks) {
    const auto& c = ch.s.c;
    std::string what = fmt::format("{} {}{}{}", c.status,
                                   c.qual_number.empty() ? "" : c.qual_kind + " " + c.qual_number,
                                   c.reason.empty() ? "" : " 原因/reason: ", c.reason);
    if (ch.status.ok()) {
      fmt::print("  县级签名有效 / county signature VALID: {}\n", what);
      fmt::print("    县级签名覆盖 / the county's signature covers: {}\n", covered);
    } else {
      fmt::print("  县级签名无效 / county signature INVALID [{}]: {} — {}\n", ch.status.key(), what,
                 ch.status.message());
      if (first.ok() && ch.status.key() != "confirm.no_key") first = ch.status;
    }
  }
  std::string status = doc.status();
  if (doc.latest)
    fmt::print("  状态 / status: {}（以县人社局签名的确认为准 / county-signed）{}\n", status,
               doc.latest->qual_number.empty()
                   ? ""
                   : fmt::format("  {} {}", doc.latest->qual_kind, doc.latest->qual_number));
  else
    fmt::print("  状态 / status: {}（无县级确认 / no county confirmation）\n", status);
  std::string claimed = sync::unsigned_document_status(text);
  if (!claimed.empty() && claimed != status)
    fmt::print(
        "  文件状态 / document status: "
        "文件写着“{}”，但此状态不在任何签名之内，未经验证；以县人社局的确认记录为准 "
        "/ the document says \"{}\", which no signature covers: unverified (only the county's "
        "confirmation counts)\n",
        claimed, claimed);
  if (!county && !doc.checks.empty())
    fmt::print("  (no county key: give --county-key HEX to check the confirmations)\n");
  return first;
}

Status cmd_verify(Context& ctx, const ExamOpts& o) {
  std::string text = o.input;
  std::error_code ec;
  if (std::filesystem::is_regular_file(o.input, ec)) {
    CHZ_ASSIGN_OR_RETURN(text, read_file(o.input, 1 << 20));
  }
  sync::DeviceKeys keys;
  if (!o.keys.empty()) {
    CHZ_ASSIGN_OR_RETURN(std::string kt, read_file(o.keys, 16 << 20));
    CHZ_ASSIGN_OR_RETURN(keys, sync::parse_device_keys(kt));
  } else {
    auto k = local_keys(ctx);
    if (!k.ok())
      return Status(Code::kInvalidArgument,
                    "no --keys given and no kiosk store to take this device's key from: " +
                        k.status().message());
    keys = *k;
  }
  auto v = sync::verify_certificate_text(text, keys);
  if (!v.ok()) {
    fmt::print("无效 / INVALID: {}\n", v.status().message());
    return Status(v.status().code(),
                  fmt::format("certificate does not verify [{}]", v.status().key()),
                  v.status().key());
  }
  const auto& d = *v;
  fmt::print("有效 / VALID: certificate {} is signed by device {} (key {})\n", d.number,
             d.device_id, d.key_id);
  fmt::print(
      "  姓名        {}\n  身份证号    {}\n  职业(工种)  {}\n  等级        {}\n  培训学时    {}\n"
      "  理论成绩    {}\n  实操成绩    {}\n  发证日期    {}\n  发证培训点  {} ({})\n",
      d.name, d.id_masked, d.occupation, d.level, d.hours, d.theory_score, d.practical_score,
      d.date, d.site_name, d.site_id);
  std::string covered;
  for (const auto& f : sync::certificate_fields())
    covered += (covered.empty() ? "" : "、") + std::string(f.label);
  fmt::print("  设备签名覆盖 / the device's signature covers: {}\n", covered);
  CHZ_ASSIGN_OR_RETURN(std::optional<Key32> county, county_key(ctx, o));
  Status conf = report_confirmations(text, d, county);
  if (!conf.ok()) {
    fmt::print("无效 / INVALID: {}\n", conf.message());
    return Status(conf.code(),
                  fmt::format("a county confirmation does not verify [{}]", conf.key()),
                  conf.key());
  }
  return OkStatus();
}

Status cmd_device_keys(Context& ctx) {
  CHZ_ASSIGN_OR_RETURN(sync::DeviceKeys k, local_keys(ctx));
  fmt::print("{}\n", sync::device_keys_json(k));
  return OkStatus();
}

Status cmd_list(Context& ctx) {
  CHZ_ASSIGN_OR_RETURN(kiosk::Store store, kiosk::Store::open(ctx.data));
  CHZ_ASSIGN_OR_RETURN(
      Stmt st, store.db().prepare("SELECT number FROM certificates ORDER BY issued_ms, number"));
  std::vector<std::string> numbers;
  for (;;) {
    CHZ_ASSIGN_OR_RETURN(bool row, st.step());
    if (!row) break;
    numbers.push_back(st.text(0));
  }
  for (const auto& n : numbers) {
    CHZ_ASSIGN_OR_RETURN(kiosk::exam::Certificate c, kiosk::exam::get_certificate(store, n));
    // No names in bulk output: number, course, date, status, scores.
    fmt::print("{}  {}  {}  {}  理论{} 实操{}{}{}\n", c.data.number, c.data.course_id, c.data.date,
               c.status, c.data.theory_score, c.data.practical_score,
               c.qual_number.empty() ? "" : "  " + c.qual_kind + " " + c.qual_number,
               c.reason.empty() ? "" : "  原因/reason: " + c.reason);
  }
  if (numbers.empty()) fmt::print("no certificates issued on this kiosk\n");
  return OkStatus();
}

Status cmd_json(Context& ctx, const ExamOpts& o) {
  CHZ_ASSIGN_OR_RETURN(kiosk::Store store, kiosk::Store::open(ctx.data));
  CHZ_ASSIGN_OR_RETURN(kiosk::exam::Certificate c, kiosk::exam::get_certificate(store, o.number));
  if (o.out.empty() || o.out == "-") {
    fmt::print("{}\n", c.document_json());
    return OkStatus();
  }
  CHZ_TRY(write_file_atomic(o.out, c.document_json() + "\n", 0644));
  fmt::print("wrote {}\n", o.out);
  return OkStatus();
}

Status cmd_pdf(Context& ctx, const ExamOpts& o) {
  CHZ_ASSIGN_OR_RETURN(kiosk::Store store, kiosk::Store::open(ctx.data));
  CHZ_ASSIGN_OR_RETURN(kiosk::exam::Certificate c, kiosk::exam::get_certificate(store, o.number));
  CHZ_TRY(kiosk::exam::render_certificate_pdf(c, o.out));
  fmt::print("wrote {}\n", o.out);
  if (!o.png.empty()) {
    CHZ_TRY(kiosk::exam::render_certificate_png(c, o.png));
    fmt::print("wrote {}\n", o.png);
  }
  if (!o.qr.empty()) {
    CHZ_TRY(kiosk::exam::render_qr_png(c.qr_text, o.qr));
    fmt::print("wrote {}\n", o.qr);
  }
  return OkStatus();
}

}  // namespace

void add_exam_commands(CLI::App& app, Context& ctx) {
  auto o = std::make_shared<ExamOpts>();
  auto* verify = app.add_subcommand(
      "verify-certificate",
      "verify a certificate offline (document JSON file, QR payload text or file); "
      "says exactly which check fails");
  verify->add_option("input", o->input, "certificate file or QR payload text (CHZC1....)")
      ->required();
  verify->add_option("--keys", o->keys,
                     "the county's published device keys (JSON); default: this kiosk's own key");
  verify->add_option("--county-key", o->county_key,
                     "the county's content public key (64 hex) to check confirmations with; "
                     "default: this kiosk's county.content_pub");
  on_run(verify, ctx, [&ctx, o] { return cmd_verify(ctx, *o); });

  on_run(app.add_subcommand("device-keys",
                            "print this kiosk's public key as a device key list (JSON)"),
         ctx, [&ctx] { return cmd_device_keys(ctx); });
  on_run(app.add_subcommand("certificates", "list certificates issued on this kiosk"), ctx,
         [&ctx] { return cmd_list(ctx); });

  auto* json =
      app.add_subcommand("certificate-json", "write a certificate as a verifiable JSON document");
  json->add_option("number", o->number, "certificate number")->required();
  json->add_option("-o,--out", o->out, "output file (default: stdout)");
  on_run(json, ctx, [&ctx, o] { return cmd_json(ctx, *o); });

  auto* pdf = app.add_subcommand("certificate-pdf",
                                 "render a certificate as PDF (and optionally PNG / QR PNG)");
  pdf->add_option("number", o->number, "certificate number")->required();
  pdf->add_option("-o,--out", o->out, "PDF file")->required();
  pdf->add_option("--png", o->png, "also write a PNG of the page");
  pdf->add_option("--qr", o->qr, "also write the QR code alone as PNG");
  on_run(pdf, ctx, [&ctx, o] { return cmd_pdf(ctx, *o); });
}

}  // namespace chz::ctl
