// Test-only: the small 中蜂养殖 course of the kiosk tests, with a bank and a
// blueprint: the exam tests use it as it is, DomainFixture (domain_fixture.h)
// with shorter hours (header only, never part of chz_kiosk's sources).
// content/testdata/sample_course.h is a different thing on purpose: a
// package source (lessons, media, id "zhongfeng-test") for content's own
// tests, which cannot include kiosk's headers (content sits below kiosk).
#pragma once

#include <string>

#include "content/model.h"

namespace chz::kiosk::exam::testing {

inline content::Course demo_course(int bank_scale = 2) {
  using content::QuestionType;
  content::Course c;
  c.id = "zhongfeng-yangzhi";
  c.name = "中蜂养殖";
  c.occupation = "中蜂养殖";
  c.level = content::Level::kSpecial;
  c.theory_hours = 24;
  c.practical_hours = 16;
  c.version = 3;
  const char* chapters[] = {"蜂群组成", "蜂群管理"};
  int n = 0;
  for (int rep = 0; rep < bank_scale; ++rep) {
    for (const char* ch : chapters) {
      for (int i = 0; i < 4; ++i) {
        content::Question q;
        q.id = "s" + std::to_string(++n);
        q.type = QuestionType::kSingle;
        q.chapter = ch;
        q.stem =
            std::string(ch) + "：一个正常的中蜂蜂群中，蜂王通常有几只？(" + std::to_string(n) + ")";
        q.options = {"一只", "两只", "三只", "没有固定数量"};
        q.correct = {0};
        q.explanation = "正常蜂群只有一只产卵蜂王。";
        c.bank.push_back(q);
      }
      for (int i = 0; i < 2; ++i) {
        content::Question q;
        q.id = "m" + std::to_string(++n);
        q.type = QuestionType::kMultiple;
        q.chapter = ch;
        q.stem = "中蜂的长处有哪些？(" + std::to_string(n) + ")";
        q.options = {"耐寒", "善采零星蜜源", "抗螨能力强", "不爱分蜂"};
        q.correct = {0, 1, 2};
        q.explanation = "中蜂耐寒、善采零星蜜源、抗螨强，但分蜂性强。";
        c.bank.push_back(q);
      }
      for (int i = 0; i < 2; ++i) {
        content::Question q;
        q.id = "t" + std::to_string(++n);
        q.type = QuestionType::kTrueFalse;
        q.chapter = ch;
        q.stem = "雄蜂由未受精卵发育而来。(" + std::to_string(n) + ")";
        q.truth = true;
        c.bank.push_back(q);
      }
      content::Question q;
      q.id = "f" + std::to_string(++n);
      q.type = QuestionType::kFill;
      q.chapter = ch;
      q.stem = "中蜂蜂群由蜂王、____和雄蜂组成，巢箱用____号标准箱。";
      q.blanks = {{"工蜂"}, {"ZW", "中蜂"}};
      c.bank.push_back(q);
    }
  }
  c.blueprint.items = {
      {QuestionType::kTrueFalse, "", 2, 10}, {QuestionType::kSingle, "蜂群组成", 2, 10},
      {QuestionType::kSingle, "", 2, 10},    {QuestionType::kMultiple, "", 2, 15},
      {QuestionType::kFill, "", 1, 10},
  };
  c.blueprint.time_limit_minutes = 60;
  c.blueprint.pass_mark = 60;
  c.blueprint.max_attempts = 3;
  return c;
}

}  // namespace chz::kiosk::exam::testing
