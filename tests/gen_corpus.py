#!/usr/bin/env python3
"""Deterministic benchmark corpus for a county People's Congress news site.

    python3 gen_corpus.py OUTDIR --articles N --seed S [--variant native|hugo|pelican|eleventy]

Writes OUTDIR/content/... (one Markdown file per article, in ASCII section
folders), OUTDIR/sections.json (section path -> Chinese title, parent), and a
small placeholder JPEG under OUTDIR/assets/images/ for every image an article
references as /images/... (a site that serves assets/ at its root resolves them).

Article text is recombined from the sentences of one real seed article
(../seed/000_cc75199f967369d3.txt, or --seed-text PATH).  Generation does
not depend on --variant: the same --articles/--seed give the same articles,
titles, dates and bodies in every variant; only the file format changes.

Variants
  native    YAML front matter, date '2019-11-08 11:25:53' (Asia/Shanghai implied),
            _index.md with a Chinese title in each section folder.
  hugo      YAML front matter Hugo accepts, date 2019-11-08T11:25:53+08:00,
            _index.md in each section folder.
  eleventy  same front matter as hugo, no _index.md (titles come from sections.json).
  pelican   Pelican Markdown metadata (Title:, Date:, Author:, Category:, Tags:,
            Slug:, ...), no _index.md; Category is the leaf section's title.

Python 3.11 standard library only.
"""

from __future__ import annotations

import argparse
import base64
import datetime as dt
import hashlib
import json
import math
import random
import re
import sys
from dataclasses import dataclass, field
from pathlib import Path

HERE = Path(__file__).resolve().parent
# The tests' copy of ../shared/bench/gen_corpus.py (so they run on a clone with nothing beside it): the same
# generator, reading the same seed page from the import fixtures.
DEFAULT_SEED_TEXT = HERE / "import" / "mirror" / "saved-as-text" / "000_cc75199f967369d3.txt"
# A 4x3 grey JPEG, written wherever an article references an image, so links resolve.
PLACEHOLDER_JPEG = base64.b64decode(
    "/9j/4AAQSkZJRgABAQAAAQABAAD/2wBDABALDA4MChAODQ4SERATGCgaGBYWGDEjJR0oOjM9PDkzODdASFxOQERXRTc4UG1RV19iZ2hnPk1xeXBkeFxlZ2P/2wBDARESEhgVGC8aGi9jQjhCY2NjY2NjY2NjY2NjY2NjY2NjY2NjY2NjY2NjY2NjY2NjY2NjY2NjY2NjY2NjY2NjY2P/wAARCAADAAQDASIAAhEBAxEB/8QAHwAAAQUBAQEBAQEAAAAAAAAAAAECAwQFBgcICQoL/8QAtRAAAgEDAwIEAwUFBAQAAAF9AQIDAAQRBRIhMUEGE1FhByJxFDKBkaEII0KxwRVS0fAkM2JyggkKFhcYGRolJicoKSo0NTY3ODk6Q0RFRkdISUpTVFVWV1hZWmNkZWZnaGlqc3R1dnd4eXqDhIWGh4iJipKTlJWWl5iZmqKjpKWmp6ipqrKztLW2t7i5usLDxMXGx8jJytLT1NXW19jZ2uHi4+Tl5ufo6erx8vP09fb3+Pn6/8QAHwEAAwEBAQEBAQEBAQAAAAAAAAECAwQFBgcICQoL/8QAtREAAgECBAQDBAcFBAQAAQJ3AAECAxEEBSExBhJBUQdhcRMiMoEIFEKRobHBCSMzUvAVYnLRChYkNOEl8RcYGRomJygpKjU2Nzg5OkNERUZHSElKU1RVVldYWVpjZGVmZ2hpanN0dXZ3eHl6goOEhYaHiImKkpOUlZaXmJmaoqOkpaanqKmqsrO0tba3uLm6wsPExcbHyMnK0tPU1dbX2Nna4uPk5ebn6Onq8vP09fb3+Pn6/9oADAMBAAIRAxEAPwDpKKKKAP/Z")

# (path, Chinese title, share of articles).  Parents with share 0 only hold subsections.
SECTIONS = [
    ("renda-yaowen", "人大要闻", 0.15),
    ("tongzhi-gonggao", "通知公告", 0.05),
    ("changweihui-huiyi", "常委会会议", 0.08),
    ("jiandu-gongzuo", "监督工作", 0.0),
    ("jiandu-gongzuo/zhifa-jiancha", "执法检查", 0.06),
    ("jiandu-gongzuo/shicha-diaoyan", "视察调研", 0.07),
    ("jiandu-gongzuo/yusuan-jiandu", "预算监督", 0.03),
    ("daibiao-gongzuo", "代表工作", 0.0),
    ("daibiao-gongzuo/lvzhi-dongtai", "履职动态", 0.14),
    ("daibiao-gongzuo/daibiao-fengcai", "代表风采", 0.06),
    ("daibiao-gongzuo/jianyi-banli", "建议办理", 0.05),
    ("fazhi-jianshe", "法治建设", 0.06),
    ("renshi-renmian", "人事任免", 0.04),
    ("xiangzhen-renda", "乡镇人大", 0.08),
    ("lilun-yanjiu", "理论研究", 0.06),
    ("jiguan-jianshe", "机关建设", 0.07),
]

TOWNS = ["城关", "东湖", "西岭", "南塬", "北坡", "河湾", "青山", "柳林", "石桥", "双河"]
ORGS = ["县人大常委会", "县人大常委会党组", "县人大法制委员会", "县人大财经委",
        "县人大教科文卫工委", "县人大农业农村工委", "县人大代表工委", "县人大社会建设工委"]
TOPICS = ["优化营商环境", "乡村振兴", "农村人居环境整治", "脱贫攻坚", "安全生产", "食品安全",
          "义务教育", "医疗卫生", "生态环境保护", "水污染防治", "大气污染防治", "民法典宣传",
          "“七五”普法", "“八五”普法", "道路交通安全", "全域旅游", "工业园区建设", "城市管理",
          "老旧小区改造", "养老服务", "文物保护", "河长制落实", "耕地保护", "药品监管",
          "预算执行", "国有资产管理", "审计查出问题整改", "法治政府建设", "校园安全",
          "猕猴桃产业发展", "农村集体经济", "城乡供水", "冬季供暖", "农村“五改”"]
LAWS = ["中华人民共和国食品安全法", "中华人民共和国环境保护法", "中华人民共和国水法",
        "中华人民共和国道路交通安全法", "中华人民共和国义务教育法", "中华人民共和国文物保护法",
        "中华人民共和国安全生产法", "中华人民共和国农业法", "中华人民共和国大气污染防治法",
        "中华人民共和国药品管理法", "中华人民共和国土地管理法", "中华人民共和国老年人权益保障法"]
THEMES = ["两个机关", "全过程人民民主", "人大代表之家", "双联系", "代表联络站", "三个体现"]
SLOGANS = ["把群众的事当作自己的事", "做人民满意的代表", "扎根基层为民代言",
           "用脚步丈量民情", "履职尽责显担当", "一心为民办实事", "敢于担当勇作为"]
EDU = ["“不忘初心、牢记使命”", "党史学习教育", "“讲政治、敢担当、改作风”",
       "学习贯彻习近平新时代中国特色社会主义思想", "“三抓三促”行动"]
SURNAMES = "王李张刘陈杨赵黄周吴徐孙马朱胡郭何高林罗郑梁谢宋唐许韩冯邓曹彭曾萧田董潘袁蔡蒋余于杜叶程魏"
GIVEN = ["建国", "海燕", "志强", "晓东", "丽娟", "卫东", "军辉", "应成", "红梅", "永刚", "秀英",
         "小平", "国庆", "文华", "春生", "玉兰", "宏伟", "亚楠", "新民", "金凤", "振华", "雪莲",
         "立军", "慧敏", "长青", "世杰", "晓燕", "德明", "小军", "淑珍"]
SOURCES = ["本网"] * 6 + ["县人大办公室", "县人大代表工委", "县人大法制工作委员会", "县融媒体中心"]
TAGS = ["人大代表", "履职", "监督", "执法检查", "代表建议", "常委会会议", "法治宣传", "乡村振兴",
        "脱贫攻坚", "人大代表之家", "两个机关", "主题教育", "民生实事", "预算审查", "生态环境",
        "营商环境", "视察调研", "人事任免", "选举", "基层人大", "理论研究", "机关建设"]
CN_NUM = "一二三四五六七八九十"

TITLE_TEMPLATES = {
    "renda-yaowen": ["{org}召开{topic}工作座谈会", "县人大常委会主任{name}调研{topic}工作",
                     "{org}部署{year}年{topic}工作", "{org}理论学习中心组开展{theme}专题学习",
                     "县人大常委会领导走访{town}镇{topic}一线"],
    "tongzhi-gonggao": ["关于召开县第{jie}届人民代表大会第{n}次会议的公告",
                        "关于征集{year}年县人大常委会{topic}监督议题的公告",
                        "县人大常委会关于{topic}的公告（第{n}号）"],
    "changweihui-huiyi": ["县第{jie}届人大常委会第{n}次会议召开",
                          "县第{jie}届人大常委会第{n}次会议审议{topic}工作报告",
                          "县人大常委会召开第{n}次主任会议研究{topic}工作"],
    "jiandu-gongzuo/zhifa-jiancha": ["县人大常委会开展《{law}》执法检查",
                                     "执法检查组深入{town}镇检查《{law}》贯彻情况"],
    "jiandu-gongzuo/shicha-diaoyan": ["县人大常委会视察{topic}工作", "{org}调研{town}镇{topic}工作",
                                      "{name}带队视察{town}镇{topic}情况"],
    "jiandu-gongzuo/yusuan-jiandu": ["县人大常委会审查{year}年{topic}预算执行情况",
                                     "县人大财经委开展{year}年{topic}专题调研"],
    "daibiao-gongzuo/lvzhi-dongtai": ["{town}镇人大代表开展{topic}视察活动",
                                      "聚焦“{theme}”建设 开启人大工作新征程",
                                      "{town}镇代表小组围绕{topic}开展述职评议"],
    "daibiao-gongzuo/daibiao-fengcai": ["人大代表{name}：{slogan}", "{name}：{slogan}的{town}镇人大代表"],
    "daibiao-gongzuo/jianyi-banli": ["县人大常委会督办{topic}重点建议", "关于{topic}的代表建议办理情况通报",
                                     "{year}年{topic}代表建议办结率达百分之{pct}"],
    "fazhi-jianshe": ["{org}开展“宪法宣传周”{topic}主题活动", "县人大常委会听取{topic}法治建设情况报告",
                      "《{law}》实施{n}周年座谈会召开"],
    "renshi-renmian": ["县第{jie}届人大常委会第{n}次会议任免名单", "关于{name}等同志职务任免的决定（{year}年第{n}号）"],
    "xiangzhen-renda": ["{town}镇第{jie}届人民代表大会第{n}次会议胜利召开", "{town}镇人大主席团开展{topic}调研",
                        "{town}镇人大“{theme}”建设经验交流"],
    "lilun-yanjiu": ["关于{topic}的思考", "新时代县级人大“{theme}”建设的探索与实践",
                     "浅谈{topic}中的人大监督", "做好新时代{topic}工作的几点体会"],
    "jiguan-jianshe": ["县人大机关开展{edu}主题教育", "县人大机关召开{year}年度{topic}专题民主生活会",
                       "县人大机关党支部开展{edu}专题学习"],
}


@dataclass
class Article:
    index: int
    section: str
    title: str
    subtitle: str | None
    author: str
    source: str
    date: dt.datetime
    tags: list[str]
    summary: str | None
    body: str
    slug: str = field(default="")


# ---------------------------------------------------------------- seed text

def parse_seed(text: str) -> dict:
    """Split the seed page into title parts and pools of paragraphs/sentences."""
    lines = [ln.strip() for ln in text.splitlines()]
    lines = [ln for ln in lines if ln and not ln.startswith("[")]
    meta_i = next(i for i, ln in enumerate(lines) if ln.startswith("作者"))
    head = [ln for ln in lines[:meta_i] if not ln.startswith("当前位置")]
    title = head[0]
    subtitle = head[1] if len(head) > 1 else None
    m = re.search(r"作者[:：]\s*(\S+)\s+内容来源[:：]\s*(\S+)\s+发表时间[:：]\s*([\d-]+ [\d:]+)", lines[meta_i])
    author, source, date = m.group(1), m.group(2), m.group(3)
    paras = lines[meta_i + 1:]
    headings, leads, sentences = [], [], []
    for p in paras:
        hm = re.match(rf"^[{CN_NUM}]+、(.*)$", p)
        if hm:
            headings.append(hm.group(1))
            continue
        nm = re.match(r"^\d+\.(.*)$", p)
        sents = split_sentences(nm.group(1) if nm else p)
        if nm:
            leads.append(sents[0])
            sents = sents[1:]
        sentences.extend(sents)
    return dict(title=title, subtitle=subtitle, author=author, source=source, date=date,
                paras=paras, headings=headings, leads=leads, sentences=sentences)


def split_sentences(p: str) -> list[str]:
    return [s for s in re.split(r"(?<=[。！？])", p) if s.strip()]


# ---------------------------------------------------------------- generation

class Gen:
    def __init__(self, seed: int, seed_info: dict):
        self.rng = random.Random(seed)
        self.s = seed_info
        self.titles: set[str] = set()
        self.authors = [seed_info["author"]] * 3 + [
            self.name() for _ in range(40)]

    def name(self) -> str:
        return self.rng.choice(SURNAMES) + self.rng.choice(GIVEN)

    def renumber(self, text: str) -> str:
        """Vary counts such as '78人次' or '92个' so recombined text differs."""
        return re.sub(r"\d+(?=(?:名|件|个|次|项|人次|天))",
                      lambda m: str(self.rng.randint(2, 199)), text)

    def paragraph(self, lo: int, hi: int) -> str:
        k = self.rng.randint(lo, hi)
        return self.renumber("".join(self.rng.choice(self.s["sentences"]) for _ in range(k)))

    def title(self, section: str) -> str:
        tpls = TITLE_TEMPLATES[section]
        for attempt in range(40):
            year = self.rng.randint(2010, 2026)
            t = self.rng.choice(tpls).format(
                org=self.rng.choice(ORGS), topic=self.rng.choice(TOPICS), name=self.name(),
                year=year, theme=self.rng.choice(THEMES), town=self.rng.choice(TOWNS),
                jie=self.rng.choice(["十六", "十七", "十八", "十九"]), n=self.rng.randint(1, 40),
                law=self.rng.choice(LAWS), slogan=self.rng.choice(SLOGANS),
                edu=self.rng.choice(EDU), pct=self.rng.randint(85, 100))
            if attempt > 20:  # crowded template space: add a disambiguating place/time
                t = f"{t}（{self.rng.choice(TOWNS)}镇·{year}年{self.rng.randint(1, 12)}月）"
            if t not in self.titles:
                self.titles.add(t)
                return t
        t = f"{t}（{len(self.titles)}）"
        self.titles.add(t)
        return t

    def date(self) -> dt.datetime:
        start = dt.datetime(2010, 1, 1)
        days = (dt.datetime(2026, 6, 30) - start).days
        d = start + dt.timedelta(days=self.rng.randrange(days))
        return d.replace(hour=self.rng.randint(8, 18), minute=self.rng.randint(0, 59),
                         second=self.rng.randint(0, 59))

    def table(self) -> str:
        cols = ["单位", "代表人数", "提出建议", "已办结", "满意率"]
        rows = ["| " + " | ".join(cols) + " |", "|" + "---|" * len(cols)]
        for town in self.rng.sample(TOWNS, self.rng.randint(3, 8)):
            n = self.rng.randint(8, 40)
            s = self.rng.randint(3, 30)
            rows.append(f"| {town}镇 | {n} | {s} | {self.rng.randint(0, s)} | {self.rng.randint(80, 100)}% |")
        return "**代表建议办理情况统计表**\n\n" + "\n".join(rows)

    def body(self, target: int, slug: str, date: dt.datetime) -> str:
        rng = self.rng
        parts = [self.paragraph(2, 5)]
        if rng.random() < 0.2:
            parts.append(f"![会议现场](/images/{date:%Y/%m}/{slug}-1.jpg)")
        if rng.random() < 0.15:
            parts.append("> " + rng.choice(self.s["sentences"]))
        size = lambda: sum(len(p.encode()) for p in parts)  # noqa: E731
        if target > 3000 and rng.random() < 0.75:
            heads = self.s["headings"] + self.s["leads"]
            h = 0
            while size() < target:
                lead_title = rng.choice(heads).rstrip("。")
                parts.append(f"## {CN_NUM[h % 10]}、{lead_title}")
                parts.append(self.paragraph(1, 3))
                for j in range(1, rng.randint(2, 5)):
                    lead = rng.choice(self.s["leads"])
                    text = self.paragraph(2, 6)
                    parts.append(f"**{j}.{lead}**{text}" if rng.random() < 0.4 else f"{j}.{lead}{text}")
                    if size() >= target:
                        break
                h += 1
        else:
            while size() < target:
                parts.append(self.paragraph(2, 6))
        if rng.random() < 0.08:
            parts.insert(len(parts) // 2, self.table())
        if rng.random() < 0.3:
            sec = rng.choice([p for p, _, w in SECTIONS if w > 0])
            parts.append(f"相关链接：[中国人大网](http://www.npc.gov.cn/)　[更多{dict((p, t) for p, t, _ in SECTIONS)[sec]}](/{sec}/)")
        return "\n\n".join(parts) + "\n"

    def seed_article(self) -> Article:
        s = self.s
        parts = []
        for p in s["paras"]:
            hm = re.match(rf"^([{CN_NUM}]+、.*)$", p)
            parts.append(f"## {hm.group(1)}" if hm else p)
        self.titles.add(s["title"])
        d = dt.datetime.strptime(s["date"], "%Y-%m-%d %H:%M:%S")
        return Article(0, "daibiao-gongzuo/lvzhi-dongtai", s["title"], s["subtitle"], s["author"],
                       s["source"], d, ["两个机关", "人大代表", "理论研究"], None,
                       "\n\n".join(parts) + "\n")

    def article(self, i: int, section: str) -> Article:
        rng = self.rng
        title = self.title(section)
        date = self.date()
        slug = f"{date:%Y%m%d}-{i:05d}"
        target = int(1024 * math.exp(rng.uniform(0, math.log(15))))  # log-uniform 1..15 KB
        subtitle = None
        if rng.random() < 0.25:
            subtitle = "——" + rng.choice(["{c}人大的探索与实践", "{c}人大常委会{t}工作综述",
                                           "记{c}{t}工作", "{c}人大代表履职纪实"]).format(
                c=rng.choice(["眉县", f"{rng.choice(TOWNS)}镇"]), t=rng.choice(TOPICS))
        body = self.body(target, slug, date)
        summary = None
        if rng.random() < 0.5:
            first = body.split("\n\n", 1)[0]
            summary = first[:80].rstrip("，,；;") + ("……" if len(first) > 80 else "")
        a = Article(i, section, title, subtitle, rng.choice(self.authors), rng.choice(SOURCES), date,
                    sorted(set(rng.sample(TAGS, rng.randint(1, 4)))), summary, body)
        a.slug = slug
        return a


def generate(n: int, seed: int, seed_info: dict) -> list[Article]:
    g = Gen(seed, seed_info)
    leafs = [(p, w) for p, _, w in SECTIONS if w > 0]
    paths, weights = zip(*leafs)
    out: list[Article] = []
    if n > 0:
        a = g.seed_article()
        a.slug = f"{a.date:%Y%m%d}-00000"
        out.append(a)
    for i in range(1, n):
        out.append(g.article(i, g.rng.choices(paths, weights)[0]))
    return out


# ---------------------------------------------------------------- writers

def q(s: str) -> str:
    """A YAML double-quoted scalar (JSON strings are valid YAML)."""
    return json.dumps(s, ensure_ascii=False)


def front_matter(a: Article, date_value: str) -> str:
    lines = ["---", f"title: {q(a.title)}"]
    if a.subtitle:
        lines.append(f"subtitle: {q(a.subtitle)}")
    lines += [f"author: {q(a.author)}", f"source: {q(a.source)}", f"date: {date_value}",
              "tags: [" + ", ".join(q(t) for t in a.tags) + "]"]
    if a.summary:
        lines.append(f"summary: {q(a.summary)}")
    lines.append("---")
    return "\n".join(lines) + "\n\n"


def render(a: Article, variant: str) -> str:
    if variant == "native":
        return front_matter(a, f"'{a.date:%Y-%m-%d %H:%M:%S}'") + a.body
    if variant in ("hugo", "eleventy"):
        return front_matter(a, f"{a.date:%Y-%m-%dT%H:%M:%S}+08:00") + a.body
    if variant == "pelican":
        title_of = {p: t for p, t, _ in SECTIONS}
        meta = [f"Title: {a.title}"]
        if a.subtitle:
            meta.append(f"Subtitle: {a.subtitle}")
        meta += [f"Date: {a.date:%Y-%m-%d %H:%M:%S}", f"Author: {a.author}",
                 f"Category: {title_of[a.section]}", f"Tags: {', '.join(a.tags)}",
                 f"Slug: {a.slug}", f"Source: {a.source}"]
        if a.summary:
            meta.append(f"Summary: {a.summary}")
        return "\n".join(meta) + "\n\n" + a.body
    raise ValueError(variant)


def write_corpus(outdir: Path, articles: list[Article], variant: str) -> dict:
    content = outdir / "content"
    content.mkdir(parents=True, exist_ok=True)
    sections = [{"path": p, "title": t, "parent": p.rsplit("/", 1)[0] if "/" in p else ""}
                for p, t, _ in SECTIONS]
    (outdir / "sections.json").write_text(json.dumps(sections, ensure_ascii=False, indent=1) + "\n",
                                          encoding="utf-8")
    for s in sections:
        (content / s["path"]).mkdir(parents=True, exist_ok=True)
    if variant in ("native", "hugo"):
        (content / "_index.md").write_text(f"---\ntitle: {q('首页')}\n---\n", encoding="utf-8")
        for w, s in enumerate(sections):
            (content / s["path"] / "_index.md").write_text(
                f"---\ntitle: {q(s['title'])}\nweight: {w + 1}\n---\n", encoding="utf-8")
    digest = hashlib.sha256()
    total = 0
    for a in articles:
        text = render(a, variant)
        (content / a.section / f"{a.slug}.md").write_text(text, encoding="utf-8")
        for ref in re.findall(r"!\[[^\]]*\]\(/(images/[^)]+)\)", a.body):
            image = outdir / "assets" / ref  # assets/ is served at the site root
            image.parent.mkdir(parents=True, exist_ok=True)
            image.write_bytes(PLACEHOLDER_JPEG)
        digest.update(a.body.encode())
        total += len(text.encode())
    return {"articles": len(articles), "bytes": total, "body_sha256": digest.hexdigest()}


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("outdir", type=Path)
    ap.add_argument("--articles", type=int, default=1000)
    ap.add_argument("--seed", type=int, default=1)
    ap.add_argument("--variant", choices=["native", "hugo", "eleventy", "pelican"], default="native")
    ap.add_argument("--seed-text", type=Path, default=DEFAULT_SEED_TEXT)
    args = ap.parse_args(argv)
    seed_info = parse_seed(args.seed_text.read_text(encoding="utf-8"))
    articles = generate(args.articles, args.seed, seed_info)
    stats = write_corpus(args.outdir, articles, args.variant)
    sizes = sorted(len(a.body.encode()) for a in articles)
    stats.update(variant=args.variant, seed=args.seed,
                 body_kb_min=round(sizes[0] / 1024, 1), body_kb_median=round(sizes[len(sizes) // 2] / 1024, 1),
                 body_kb_max=round(sizes[-1] / 1024, 1),
                 years=f"{min(a.date for a in articles):%Y}-{max(a.date for a in articles):%Y}")
    print(json.dumps(stats, ensure_ascii=False))
    return 0


if __name__ == "__main__":
    sys.exit(main())
