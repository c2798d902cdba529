// kioskctl content commands: install a signed course package into the
// kiosk's data folder, list what is installed, and set the county content
// key the kiosk trusts.
#include <iostream>
#include <memory>

#include "app/ctl/ctl.h"
#include "content/install.h"
#include "content/keys.h"
#include "kiosk/store.h"

namespace chz::ctl {

namespace {

// The keys this kiosk trusts for content: the store's county.content_pub
// setting, <data>/content-key.pub, and any --trust files given.
Result<std::vector<Key32>> trusted_keys(const std::filesystem::path& data,
                                        const std::vector<std::string>& extra) {
  std::vector<Key32> keys;
  std::error_code ec;
  if (std::filesystem::exists(data / "store.db", ec)) {
    auto store = kiosk::Store::open(data);
    if (store.ok()) {
      auto hex_key = store->setting("county.content_pub");
      if (hex_key.ok()) {
        CHZ_ASSIGN_OR_RETURN(Key32 k, content::parse_key_hex(*hex_key));
        keys.push_back(k);
      }
    }
  }
  if (std::filesystem::exists(data / "content-key.pub", ec)) {
    CHZ_ASSIGN_OR_RETURN(Key32 k, content::read_key_file(data / "content-key.pub"));
    keys.push_back(k);
  }
  for (const auto& f : extra) {
    CHZ_ASSIGN_OR_RETURN(Key32 k, content::read_key_file(f));
    keys.push_back(k);
  }
  if (keys.empty())
    return Error(Code::kFailedPrecondition,
                 "this kiosk trusts no county content key: run `content-trust KEY.pub` or pass "
                 "--trust KEY.pub");
  return keys;
}

}  // namespace

struct ContentArgs {
  std::string file;
  std::vector<std::string> trust;
  std::string pub_file;
};

void add_content_commands(CLI::App& app, Context& ctx) {
  // Owned by the callbacks below, which live as long as `app`.
  auto args = std::make_shared<ContentArgs>();

  auto* in =
      app.add_subcommand("install-content", "Verify and install a signed course package (atomic)");
  in->add_option("file", args->file, "Course package (.chzpkg)")
      ->required()
      ->check(CLI::ExistingFile);
  in->add_option("--trust", args->trust, "Also trust this county content public key file");
  on_run(in, ctx, [&ctx, args]() -> Status {
    CHZ_ASSIGN_OR_RETURN(auto keys, trusted_keys(ctx.data, args->trust));
    CHZ_ASSIGN_OR_RETURN(auto r, content::install_package(ctx.data, args->file, keys));
    std::cout << "installed " << r.course_id << " v" << r.version;
    if (r.previous) std::cout << " (was v" << *r.previous << ", kept for attempts already started)";
    std::cout << "\n";
    return OkStatus();
  });

  auto* ls = app.add_subcommand("content", "List the courses installed on this kiosk");
  on_run(ls, ctx, [&ctx]() -> Status {
    CHZ_ASSIGN_OR_RETURN(auto list, content::list_installed(ctx.data));
    if (list.empty()) std::cout << "no courses installed\n";
    for (const auto& c : list) {
      std::cout << c.id << "\tv" << c.version << "\t" << content::level_name(c.level) << "\t"
                << c.name;
      if (c.kept_versions.size() > 1) {
        std::cout << "\t(kept:";
        for (auto v : c.kept_versions) std::cout << " v" << v;
        std::cout << ")";
      }
      std::cout << "\n";
    }
    return OkStatus();
  });

  auto* tr =
      app.add_subcommand("content-trust", "Set the county content public key this kiosk trusts");
  tr->add_option("pub", args->pub_file, "County content public key file (NAME.pub)")
      ->required()
      ->check(CLI::ExistingFile);
  on_run(tr, ctx, [&ctx, args]() -> Status {
    CHZ_ASSIGN_OR_RETURN(Key32 k, content::read_key_file(args->pub_file));
    CHZ_ASSIGN_OR_RETURN(auto store, kiosk::Store::open(ctx.data));
    CHZ_TRY(store.set_setting("county.content_pub", hex(k)));
    std::cout << "trusting county content key " << hex(k).substr(0, 16) << "...\n";
    return OkStatus();
  });
}

}  // namespace chz::ctl
