#include "app/ui/strings.h"

#include <algorithm>
#include <array>

namespace chz::app {

namespace {
// Keys are grouped by screen. Keep zh natural and short: the reader may be
// 60 and reading slowly.
constexpr StringEntry kTable[] = {
    {"app.name", "持证培训终端", "Chizheng training kiosk"},
    {"common.back", "返回", "Back"},
    {"common.home", "首页", "Home"},
    {"common.ok", "确定", "OK"},
    {"common.cancel", "取消", "Cancel"},
    {"common.clear", "清空", "Clear"},
    {"common.delete", "删除", "Delete"},
    {"common.yes", "是", "Yes"},
    {"common.no", "否", "No"},
    {"common.signout", "退出登录", "Sign out"},
    {"common.error", "出错了：{}", "Something went wrong: {}"},
    {"common.none", "暂无", "None yet"},
    {"lang.toggle", "English", "中文"},
    {"sync.ok", "已同步", "Synced"},
    {"sync.pending", "待同步 {} 条", "{} to sync"},
    {"sync.never", "尚未同步", "Never synced"},
    // first run
    {"enroll.title", "首次使用：登记本终端", "First start: enroll this kiosk"},
    {"enroll.hint", "请输入县人社局提供的服务器地址和一次性登记码。",
     "Enter the county server address and the one-time code from the county HR bureau."},
    {"enroll.server", "服务器地址", "Server address"},
    {"enroll.code", "登记码", "Enrollment code"},
    {"enroll.submit", "登记", "Enroll"},
    {"enroll.usb", "用U盘登记", "Enroll from USB"},
    {"enroll.working", "正在登记……", "Enrolling..."},
    {"enroll.done", "登记成功", "Enrolled"},
    {"enroll.unavailable", "本版本暂不能联网登记，请用U盘登记或联系县人社局。",
     "Network enrollment is not available in this build; use USB or call the county."},
    {"enroll.field_server", "地址", "Address"},
    {"enroll.field_code", "登记码", "Code"},
    // welcome
    {"welcome.title", "欢迎！", "Welcome!"},
    {"welcome.subtitle", "请点一个大按钮", "Tap one of the big buttons"},
    {"welcome.checkin", "学员签到", "Sign in"},
    {"welcome.learn", "学习", "Learn"},
    {"welcome.exam", "考试", "Exam"},
    {"welcome.trainer", "教师入口", "Trainers"},
    {"welcome.admin", "管理", "Admin"},
    // sign-in
    {"signin.title", "请输入身份证号码", "Enter your ID card number"},
    {"signin.count", "已输入 {} / 18 位", "{} of 18 characters"},
    {"signin.valid", "号码正确", "Number is valid"},
    {"signin.submit", "确定", "Continue"},
    {"signin.not_found", "没有找到您的报名信息，请找培训老师登记。",
     "You are not registered here yet. Please ask your trainer."},
    {"id.length", "号码应为18位", "The number must have 18 characters"},
    {"id.chars", "号码里有不对的字符", "The number has a wrong character"},
    {"id.region", "前两位地区码不对", "The region code is wrong"},
    {"id.birth_date", "出生日期不对", "The birth date is wrong"},
    {"id.check_digit", "最后一位校验码不对，请再核对一遍",
     "The last character does not match; please check"},
    // trainee home
    {"home.hello", "{}，您好！", "Hello, {}!"},
    {"home.courses", "我的课程", "My courses"},
    {"home.hours", "已学 {} / 需学 {} 学时", "{} of {} hours done"},
    {"home.theory", "理论", "Theory"},
    {"home.practical", "实操", "Practical"},
    {"home.next", "下次上课：{}", "Next class: {}"},
    {"home.no_next", "近期没有课", "No class coming up"},
    {"home.eligible", "学时已够，可以考试", "Hours met: you may take the exam"},
    {"home.not_eligible", "学时还不够，暂不能考试", "Not enough hours for the exam yet"},
    {"home.certs", "我的证书", "My certificates"},
    {"home.checkin", "上课签到", "Check in"},
    {"home.checkout", "下课签退", "Check out"},
    {"home.learn", "看课件", "Read lessons"},
    {"home.exam", "去考试", "Take the exam"},
    {"home.no_courses", "您还没有报名课程，请找培训老师。",
     "You are not enrolled in a course yet. Ask your trainer."},
    // check-in
    {"checkin.done", "签到成功", "Checked in"},
    {"checkout.done", "签退成功", "Checked out"},
    {"checkin.when", "时间：{}", "Time: {}"},
    {"checkin.session", "课次：{}", "Session: {}"},
    {"checkin.no_session", "现在没有开放的课次，请找培训老师。",
     "No session is open now. Please ask your trainer."},
    // lessons
    {"lesson.list", "课件目录", "Lessons"},
    {"lesson.read_aloud", "朗读", "Read aloud"},
    {"lesson.stop", "停止朗读", "Stop"},
    {"lesson.prev", "上一页", "Previous"},
    {"lesson.next", "下一页", "Next"},
    {"lesson.page", "第 {} / {} 页", "Page {} of {}"},
    {"lesson.none", "还没有安装课件", "No lessons installed yet"},
    // exam
    {"exam.title", "理论考试", "Theory exam"},
    {"exam.start", "开始考试", "Start the exam"},
    {"exam.code", "请输入监考老师给的考场码", "Enter the proctor code"},
    {"exam.rules", "共 {} 题，限时 {} 分钟，{} 分及格。",
     "{} questions, {} minutes, pass mark {}."},
    {"exam.question", "第 {} 题 / 共 {} 题", "Question {} of {}"},
    {"exam.time_left", "剩余 {}", "{} left"},
    {"exam.prev", "上一题", "Previous"},
    {"exam.next", "下一题", "Next"},
    {"exam.flag", "标记", "Flag"},
    {"exam.unflag", "取消标记", "Unflag"},
    {"exam.read", "朗读题目", "Read aloud"},
    {"exam.submit", "交卷", "Submit"},
    {"exam.confirm", "确定交卷吗？", "Submit your paper?"},
    {"exam.unanswered", "还有 {} 题没有作答", "{} questions unanswered"},
    {"exam.all_answered", "所有题目都已作答", "All questions answered"},
    {"exam.keep", "继续答题", "Keep going"},
    {"exam.true", "对", "True"},
    {"exam.false", "错", "False"},
    {"exam.result", "考试成绩", "Exam result"},
    {"exam.score", "得分：{}", "Score: {}"},
    {"exam.passed", "恭喜您，考试合格！", "Congratulations, you passed!"},
    {"exam.failed", "这次没有合格，还可以再考。", "Not passed this time; you may try again."},
    {"exam.not_eligible", "学时还不够，暂不能考试", "Not enough hours for the exam yet"},
    {"exam.no_sitting", "现在没有开放的考场，请找监考老师。",
     "No exam sitting is open. Ask the proctor."},
    {"cert.title", "培训合格证", "Training certificate"},
    {"cert.number", "证书编号：{}", "Certificate no.: {}"},
    {"cert.course", "课程：{}", "Course: {}"},
    {"cert.date", "日期：{}", "Date: {}"},
    {"cert.pending", "待县人社局确认", "Awaiting county confirmation"},
    {"cert.confirmed", "县人社局已确认", "Confirmed by the county"},
    // trainer
    {"trainer.pick", "请点您的名字", "Tap your name"},
    {"trainer.pin", "请输入密码", "Enter your PIN"},
    {"trainer.pin_wrong", "密码不对，还可以试 {} 次", "Wrong PIN; {} tries left"},
    {"trainer.locked", "密码错误次数太多，已锁定", "Too many wrong PINs: locked"},
    {"trainer.none", "本终端还没有教师信息，请先同步。",
     "No trainers on this kiosk yet; sync first."},
    {"trainer.today", "今天的课", "Today's classes"},
    {"trainer.open", "开课", "Open session"},
    {"trainer.close", "下课并确认名单", "Close and confirm roster"},
    {"trainer.roster", "名单", "Roster"},
    {"trainer.present", "已到", "Present"},
    {"trainer.absent", "未到", "Absent"},
    {"trainer.state_open", "正在上课", "Open"},
    {"trainer.state_closed", "已下课", "Closed"},
    {"trainer.state_scheduled", "未开课", "Not open yet"},
    {"trainer.left", "已签退", "Checked out"},
    {"trainer.closed", "已下课，名单已确认：{} 人", "Closed; roster confirmed: {} people"},
    {"trainer.corrected", "已更正并记录原因", "Corrected, with the reason recorded"},
    {"trainer.correct", "更正", "Correct"},
    {"trainer.reason", "更正原因", "Reason"},
    {"trainer.reason_required", "请选择更正原因", "Choose a reason"},
    {"trainer.reason.forgot", "学员忘记签到", "Trainee forgot to check in"},
    {"trainer.reason.device", "设备故障", "Device fault"},
    {"trainer.reason.left_early", "学员提前离开", "Trainee left early"},
    {"trainer.walkin", "登记新学员", "Register a trainee"},
    {"trainer.name", "姓名", "Name"},
    {"trainer.id", "身份证号", "ID number"},
    {"trainer.enrol", "报名本班", "Enrol in class"},
    {"trainer.adhoc", "临时加课", "Extra session"},
    {"trainer.sitting", "开考场", "Open exam sitting"},
    {"trainer.proctor_code", "考场码：{}", "Proctor code: {}"},
    {"trainer.scores", "录入实操成绩", "Practical scores"},
    {"trainer.sync", "立即同步", "Sync now"},
    {"trainer.export", "导出到U盘", "Export to USB"},
    {"trainer.saved", "已保存", "Saved"},
    {"pinyin.hint", "用拼音输入姓名，点候选字", "Type the name in pinyin, tap a character"},
    {"pinyin.space", "空格", "Space"},
    // admin
    {"admin.title", "管理", "Administration"},
    {"admin.pin", "请输入管理员密码", "Enter the admin PIN"},
    {"admin.device", "设备信息", "Device"},
    {"admin.device_id", "设备编号：{}", "Device id: {}"},
    {"admin.schema", "数据版本：{}", "Schema version: {}"},
    {"admin.enroll", "登记到县服务器", "Enroll with the county"},
    {"admin.content_usb", "从U盘更新课件", "Update courses from USB"},
    {"admin.rotate", "更换存储密钥", "Rotate store key"},
    {"admin.rotated", "密钥已更换", "Key rotated"},
    {"admin.no_usb", "没有找到U盘上的课件包", "No course package found on a USB stick"},
    {"admin.logs", "运行日志", "Logs"},
    {"admin.exit_kiosk", "退出展台模式", "Leave kiosk mode"},
    // refusals from the core, by Status key
    {"exam.proctor_code", "考场码不对，请向监考老师确认", "Wrong proctor code; ask the proctor"},
    {"exam.sitting_closed", "考场已关闭", "The sitting is closed"},
    {"exam.hours_not_met", "学时还不够，暂不能考试", "Not enough hours for the exam yet"},
    {"exam.no_attempts_left", "考试次数已用完", "No attempts left"},
    {"exam.already_passed", "您已经考试合格了", "You have already passed"},
    {"exam.not_enrolled", "您没有报名这个班", "You are not enrolled in this class"},
    {"exam.time_up", "考试时间到，已自动交卷", "Time is up: the paper was submitted"},
    {"cert.practical_missing", "实操成绩还没有录入，证书待发",
     "No practical score yet: certificate to follow"},
    {"cert.practical_not_passed", "实操成绩未合格", "Practical score below the pass mark"},
    {"cert.theory_not_passed", "理论成绩未合格", "Theory score below the pass mark"},
    {"attendance.already_in", "您已经签到了", "You are already checked in"},
    {"attendance.not_in", "您还没有签到", "You have not checked in"},
    {"attendance.not_enrolled", "您没有报名这个班", "You are not enrolled in this class"},
    {"attendance.outside_window", "不在上课时间内", "Outside the session's time"},
    {"session.not_open", "这节课还没有开课", "This session is not open"},
    {"session.closed", "这节课已经结束", "This session is closed"},
    {"session.already_open", "这节课已经开课", "This session is already open"},
    {"session.outside_window", "不在上课时间内，不能开课", "Outside the session's time"},
    {"time.unconfirmed", "终端时间需要老师确认", "The kiosk's time needs a trainer's confirmation"},
    {"staff.pin_wrong", "密码不对", "Wrong PIN"},
    {"staff.locked", "密码错误次数太多，已锁定15分钟",
     "Too many wrong PINs: locked for 15 minutes"},
    {"pin.not_set", "还没有设置密码，请联系县人社局", "No PIN set yet; contact the county"},
    {"correction.reason", "请填写更正原因", "A reason is required"},
    {"person.exists", "这个人已经登记过了", "This person is already registered"},
    {"person.age", "年龄不在16到60岁之间", "Age is outside 16 to 60"},
    {"name.empty", "请输入姓名", "Enter a name"},
    {"name.chars", "姓名里有不能用的字符", "The name has a character that is not allowed"},
    {"enrol.exists", "已经在这个班里了", "Already enrolled in this class"},
    {"class.full", "这个班已满", "The class is full"},
    {"idle.reset", "长时间无人操作，已返回首页", "Returned to the start after a while with no one"},
};
}  // namespace

std::span<const StringEntry> string_table() {
  return kTable;
}

static const StringEntry* find(std::string_view key) {
  for (const auto& e : kTable)
    if (e.key == key) return &e;
  return nullptr;
}

std::string_view tr(Lang lang, std::string_view key) {
  const StringEntry* e = find(key);
  if (!e) return key;
  return lang == Lang::kZh ? e->zh : e->en;
}

bool has_string(std::string_view key) {
  return find(key) != nullptr;
}

std::string trf(Lang lang, std::string_view key, std::string_view a, std::string_view b,
                std::string_view c) {
  std::string_view f = tr(lang, key);
  std::array<std::string_view, 3> args = {a, b, c};
  std::string out;
  std::size_t n = 0;
  for (std::size_t i = 0; i < f.size(); ++i) {
    if (f[i] == '{' && i + 1 < f.size() && f[i + 1] == '}') {
      if (n < args.size()) out += args[n++];
      ++i;
    } else {
      out += f[i];
    }
  }
  return out;
}

}  // namespace chz::app
