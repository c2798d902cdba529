#include "app/ui/pinyin.h"

#include <rime_api.h>

#include <cstdlib>
#include <set>
#include <string_view>
#include <system_error>

#include "app/ui/utf8.h"
#include "common/fs.h"

namespace chz::app {

namespace fs = std::filesystem;

namespace {

constexpr const char* kSchema = "luna_pinyin_simp";
constexpr const char* kKey = "pinyin.unavailable";
constexpr int kBackSpace = 0xff08;

// For each pinyin syllable, how many single characters of Debian's
// luna_pinyin table carry a weight of at least 700 (v stands for ü): the
// first that many single-character candidates of each syllable make about
// 3,850 characters, the common ones (all but a few rare surnames such as 翟
// and 缪 of a list of 320 common surnames and given-name characters).
constexpr std::string_view kSyllableCounts =
    "a4 ai13 an13 ang1 ao11 ba15 bai7 ban17 bang9 bao14 bei17 ben6 beng5 bi27 bian11 biao8 bie6 "
    "bin7 bing11 bo17 bu13 ca1 cai13 can6 cang4 cao9 ce4 cen1 ceng2 cha7 chai2 chan10 chang13 "
    "chao8 che5 chen12 cheng15 chi16 chong8 chou12 chu14 chuai2 chuan5 chuang7 chui7 chun7 "
    "chuo3 ci12 cong4 cou1 cu6 cuan3 cui8 cun4 cuo5 da6 dai12 dan10 dang9 dao13 de3 deng7 di29 "
    "dia1 dian15 diao12 die7 ding9 diu1 dong9 dou10 du14 duan6 dui4 dun7 duo12 e22 en4 eng1 er9 "
    "fa7 fan19 fang10 fei18 fen12 feng16 fou1 fu45 ga4 gai5 gan15 gang11 gao9 ge18 gei1 gen3 "
    "geng5 gong16 gou9 gu19 gua9 guai5 guan11 guang4 gui13 gun3 guo6 ha1 hai8 han21 hang2 hao14 "
    "he14 hei2 hen5 heng6 hong8 hou8 hu15 hua9 huai4 huan12 huang14 hui24 hun6 huo14 ji61 jia17 "
    "jian39 jiang14 jiao22 jie27 jin21 jing30 jiong4 jiu16 ju25 juan9 jue12 jun11 ka2 kai5 kan7 "
    "kang5 kao5 ke17 ken4 keng1 kong4 kou6 ku7 kua6 kuai3 kuan2 kuang10 kui9 kun8 kuo3 la8 lai4 "
    "lan14 lang6 lao9 le4 lei11 leng4 li48 lian16 liang12 liao9 lie6 lin13 ling23 liu9 lo1 "
    "long9 lou7 lu22 luan5 lun6 luo12 lv13 lve2 ma8 mai4 man7 mang6 mao11 me1 mei19 men4 meng11 "
    "mi17 mian10 miao10 mie2 min8 ming8 miu1 mo15 mou4 mu18 na5 nai6 nan6 nang1 nao6 ne2 nei1 "
    "nen2 neng1 ni15 nian10 niang2 niao2 nie6 nin1 ning5 niu6 nong4 nu4 nuan1 nun1 nuo3 nv2 "
    "nve1 ou7 pa5 pai5 pan8 pang1 pao5 pei14 pen2 peng14 pi18 pian4 piao6 pie3 pin9 ping8 po8 "
    "pou2 pu14 qi45 qia3 qian24 qiang9 qiao13 qie5 qin12 qing17 qiong2 qiu9 qu15 quan9 que8 "
    "qun3 ran4 rang3 rao4 re2 ren10 reng2 ri1 rong10 rou3 ru8 ruan2 rui5 run1 ruo1 sa6 sai3 "
    "san4 sang2 sao4 se2 sen1 seng1 sha8 shai2 shan15 shang10 shao11 she10 shei1 shen17 sheng11 "
    "shi49 shou10 shu31 shua3 shuai3 shuan3 shuang3 shui4 shun4 shuo6 si18 song11 sou7 su11 "
    "suan4 sui9 sun6 suo9 ta8 tai12 tan18 tang11 tao10 te1 teng4 ti13 tian9 tiao4 tie3 ting12 "
    "tong15 tou4 tu12 tuan1 tui4 tun3 tuo10 wa8 wai3 wan16 wang10 wei38 wen13 weng3 wo5 wu30 "
    "xi43 xia13 xian29 xiang21 xiao22 xie22 xin13 xing13 xiong6 xiu10 xu21 xuan19 xue6 xun15 "
    "ya16 yai1 yan42 yang14 yao23 ye17 yi64 yin17 ying24 yo2 yong13 you29 yu59 yuan22 yue11 "
    "yun13 za4 zai9 zan4 zang4 zao15 ze5 zei1 zeng3 zha9 zhai6 zhan15 zhang15 zhao11 zhe11 "
    "zhen20 zheng16 zhi49 zhong13 zhou13 zhu31 zhua1 zhuan4 zhuang7 zhui4 zhun2 zhuo10 zi15 "
    "zong7 zou5 zu7 zuan2 zui4 zun3 zuo10";

// librime is one instance per process; this records how it was started.
// Single-threaded by contract (see pinyin.h).
struct RimeProcess {
  bool setup_done = false;
  bool running = false;
  std::string shared, user;
  int live = 0;
};

RimeProcess& rime_process() {
  static RimeProcess p;
  return p;
}

RimeApi* api() {
  return rime_get_api();
}

// The prebuilt schema with the user dictionary turned off, staged where
// librime looks before the prebuilt folder.
Status stage_schema(const fs::path& shared_dir, const fs::path& user_dir) {
  auto prebuilt = read_file(shared_dir / "build" / (std::string(kSchema) + ".schema.yaml"));
  if (!prebuilt.ok()) return Error(Code::kUnavailable, "pinyin: prebuilt schema unreadable", kKey);
  std::string text = *prebuilt;
  const std::string section = "\ntranslator:\n";
  auto at = text.find(section);
  if (at == std::string::npos)
    return Error(Code::kUnavailable, "pinyin: prebuilt schema has no translator section", kKey);
  text.insert(at + section.size(), "  enable_user_dict: false\n");
  fs::path dir = user_dir / "build";
  std::error_code ec;
  fs::create_directories(dir, ec);
  if (ec) return Error(Code::kIoError, "pinyin: cannot create the rime user folder", kKey);
  fs::path path = dir / (std::string(kSchema) + ".schema.yaml");
  auto current = read_file(path);
  if (current.ok() && *current == text) return OkStatus();
  Status st = write_file_atomic(path, text, 0644);
  if (!st.ok()) return Error(Code::kIoError, "pinyin: cannot stage the schema", kKey);
  return OkStatus();
}

Status start_rime(const fs::path& shared_dir, const fs::path& user_dir) {
  RimeProcess& p = rime_process();
  std::string shared = shared_dir.string(), user = user_dir.string();
  if (p.running && p.shared == shared && p.user == user) return OkStatus();
  if (p.running && p.live > 0)
    return Error(Code::kFailedPrecondition,
                 "pinyin: librime is in use with other folders in this process", kKey);
  if (p.running) {
    api()->finalize();
    p.running = false;
  }
  RIME_STRUCT(RimeTraits, traits);
  traits.shared_data_dir = shared.c_str();
  traits.user_data_dir = user.c_str();
  traits.distribution_name = "Chizheng";
  traits.distribution_code_name = "chizheng";
  traits.distribution_version = "1";
  traits.app_name = "rime.chizheng";
  // FATAL only: glog (which librime uses) would otherwise write rime.* log
  // files into /tmp on its first error; nothing is logged, typed text least.
  traits.min_log_level = 3;
  traits.log_dir = "";
  if (!p.setup_done) {
    api()->setup(&traits);  // glog may be set up once per process
    p.setup_done = true;
  }
  api()->initialize(&traits);
  p.running = true;
  p.shared = shared;
  p.user = user;
  return OkStatus();
}

}  // namespace

Result<std::unique_ptr<PinyinInput>> PinyinInput::open(const fs::path& user_dir,
                                                       const fs::path& shared_dir) {
  std::error_code ec;
  for (const char* f :
       {"luna_pinyin_simp.schema.yaml", "luna_pinyin_simp.prism.bin", "luna_pinyin.table.bin"}) {
    if (!fs::is_regular_file(shared_dir / "build" / f, ec))
      return Error(Code::kUnavailable, std::string("pinyin: rime data missing: ") + f, kKey);
  }
  if (user_dir.empty()) return Error(Code::kInvalidArgument, "pinyin: no user folder", kKey);
  fs::path user = fs::absolute(user_dir, ec);
  if (ec) return Error(Code::kIoError, "pinyin: bad user folder", kKey);
  CHZ_TRY(stage_schema(shared_dir, user));
  CHZ_TRY(start_rime(shared_dir, user));
  RimeSessionId s = api()->create_session();
  if (!s) return Error(Code::kUnavailable, "pinyin: librime gave no session", kKey);
  if (!api()->select_schema(s, kSchema)) {
    api()->destroy_session(s);
    return Error(Code::kUnavailable, "pinyin: librime refused the schema", kKey);
  }
  api()->set_option(s, "ascii_mode", False);
  api()->set_option(s, "zh_simp", True);
  ++rime_process().live;
  std::unique_ptr<PinyinInput> in(new PinyinInput(s));
  // A probe: the schema must answer before the UI offers pinyin.
  in->key('a');
  bool answers = !in->candidates().empty();
  in->clear();
  if (!answers) return Error(Code::kUnavailable, "pinyin: librime gives no candidates", kKey);
  return in;
}

PinyinInput::~PinyinInput() {
  api()->destroy_session(session_);
  --rime_process().live;
}

void PinyinInput::refresh() {
  const char* raw = api()->get_input(session_);
  input_ = raw ? raw : "";
  preedit_.clear();
  RIME_STRUCT(RimeContext, ctx);
  if (api()->get_context(session_, &ctx)) {
    if (ctx.composition.preedit) preedit_ = ctx.composition.preedit;
    api()->free_context(&ctx);
  }
  page_items_.clear();
  has_next_ = false;
  RimeCandidateListIterator it = {};
  if (!api()->candidate_list_from_index(session_, &it, page_ * kPageSize)) return;
  while (api()->candidate_list_next(&it)) {
    if (static_cast<int>(page_items_.size()) == kPageSize) {
      has_next_ = true;
      break;
    }
    page_items_.emplace_back(it.candidate.text ? it.candidate.text : "");
  }
  api()->candidate_list_end(&it);
}

void PinyinInput::key(char c) {
  if (c >= 'A' && c <= 'Z') c = static_cast<char>(c - 'A' + 'a');
  bool letter = c >= 'a' && c <= 'z';
  if (!letter && !(c == '\'' && !input_.empty())) return;
  if (input_.size() >= kMaxInput) return;
  api()->process_key(session_, c, 0);
  page_ = 0;
  refresh();
}

void PinyinInput::backspace() {
  if (input_.empty()) return;
  api()->process_key(session_, kBackSpace, 0);
  page_ = 0;
  refresh();
}

void PinyinInput::clear() {
  api()->clear_composition(session_);
  page_ = 0;
  refresh();
}

bool PinyinInput::next_page() {
  if (!has_next_) return false;
  ++page_;
  refresh();
  return true;
}

bool PinyinInput::prev_page() {
  if (page_ == 0) return false;
  --page_;
  refresh();
  return true;
}

std::string PinyinInput::pick(int i) {
  if (i < 0 || i >= static_cast<int>(page_items_.size())) return {};
  api()->select_candidate(session_, static_cast<size_t>(page_ * kPageSize + i));
  std::string out;
  RIME_STRUCT(RimeCommit, commit);
  if (api()->get_commit(session_, &commit)) {
    if (commit.text) out = commit.text;
    api()->free_commit(&commit);
  }
  page_ = 0;
  refresh();
  return out;
}

std::string PinyinInput::glyph_hint() {
  std::set<char32_t> seen;
  std::string out;
  std::string_view rest = kSyllableCounts;
  while (!rest.empty()) {
    auto sp = rest.find(' ');
    std::string_view item = rest.substr(0, sp);
    rest = sp == std::string_view::npos ? std::string_view{} : rest.substr(sp + 1);
    auto digits = item.find_first_of("0123456789");
    if (digits == std::string_view::npos) continue;
    std::string syllable(item.substr(0, digits));
    int want = std::atoi(std::string(item.substr(digits)).c_str());
    api()->clear_composition(session_);
    for (char c : syllable) api()->process_key(session_, c, 0);
    RimeCandidateListIterator it = {};
    if (!api()->candidate_list_begin(session_, &it)) continue;
    int n = 0;
    while (n < want && api()->candidate_list_next(&it)) {
      if (!it.candidate.text) continue;
      auto cps = utf8_decode(it.candidate.text);
      if (cps.size() != 1) continue;  // phrases
      ++n;
      if (seen.insert(cps[0]).second) out += it.candidate.text;
    }
    api()->candidate_list_end(&it);
  }
  clear();
  return out;
}

}  // namespace chz::app
