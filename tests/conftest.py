"""Shared fixtures: a small dataset of REAL article text, built from the model classes."""

# ruff: noqa: E501

from __future__ import annotations

import os
from collections.abc import Iterator
from pathlib import Path

import pytest
from dataset_files import VALID, write_dataset

from bishan_tui.loader import load_dataset
from bishan_tui.model import (
    Dataset,
    EventRecord,
    FigureRecord,
    PlatformRecord,
    PolicyRecord,
    ProjectRecord,
    Record,
    Section,
    Source,
    TalentRecord,
)

SOURCE = Source(
    title="发力科创之城 加速科技创新",
    title_en="Powering a city of science and innovation",
    subtitle="璧山开放型创新生态加快形成",
    subtitle_en="Bishan's open innovation ecosystem takes shape",
    authors=("王琳琳", "龙搏", "苏洪成"),
    authors_en=("Wang Linlin", "Long Bo", "Su Hongcheng"),
)

SECTIONS = (
    Section("lead", "导语", "Lead box"),
    Section(
        "open-collaboration", "以开放协同打造“强磁场”", "A “strong magnetic field” through openness"
    ),
    Section("platforms", "以平台建设提升“策源力”", "Platforms raise the “source power”"),
    Section("reform", "以深化改革点燃“新引擎”", "Reform lights a “new engine”"),
)


def small_records() -> tuple[Record, ...]:
    return (
        PlatformRecord(
            id="kangjia-institute",
            title="重庆康佳光电技术研究院",
            title_en="Chongqing Konka Photoelectric Technology Research Institute",
            summary="建成投入使用，已汇集行业专家300余人，完成近600项有效专利提案。",
            summary_en="Completed and in use; has gathered over 300 experts and filed nearly 600 valid patent proposals.",
            section="platforms",
            quotes=(
                "重庆康佳光电技术研究院建成投入使用，已汇集行业专家 300余人，完成近 600项有效专利提案",
            ),
            category="专业技术平台",
            category_en="specialised technology platform",
            status="建成投入使用",
            status_en="completed and in use",
            related=("kangjia-experts", "kangjia-patents"),
            context="康佳集团是深圳的电子企业。",
            context_en="Konka Group is an electronics maker based in Shenzhen.",
        ),
        PlatformRecord(
            id="high-tech-institute",
            title="重庆高新技术产业研究院",
            title_en="Chongqing High-Tech Industry Research Institute",
            summary="成功孵化平创半导体等10家新科技企业，获取意向订单超1亿元。",
            summary_en="Incubated 10 new tech firms including Pingchuang Semiconductor; orders of intent over 100 million yuan.",
            section="platforms",
            quotes=("成功孵化了平创半导体等10家新科技企业，获取意向订单超1亿元",),
            category="科技成果产业化平台",
            category_en="commercialisation platform",
            related=("incubated-firms",),
        ),
        ProjectRecord(
            id="blade-battery",
            title="比亚迪刀片电池",
            title_en="BYD Blade Battery",
            summary="6月5日，比亚迪推出的“黑科技”刀片电池在重庆璧山正式亮相发布。",
            summary_en="On 5 June BYD's “black tech” blade battery was launched in Bishan.",
            section="platforms",
            quotes=("6月5日，比亚迪推出的“黑科技”刀片电池在重庆璧山正式亮相发布。",),
            category="产品",
            category_en="product",
            organisation="比亚迪",
            organisation_en="BYD",
            related=("blade-battery-launch",),
        ),
        TalentRecord(
            id="li-lu",
            title="李璐",
            title_en="Li Lu",
            summary="重庆鼎旺科技有限公司负责人、重庆文理学院教授，2020年落户璧山。",
            summary_en="Head of Chongqing Dingwang Technology, professor at Chongqing University of Arts and Sciences.",
            section="open-collaboration",
            quotes=("“2020年对于我们来说，最重要的选择就是走出高校，落户璧山。”",),
            affiliation="重庆鼎旺科技有限公司",
            affiliation_en="Chongqing Dingwang Technology Co., Ltd.",
            role="负责人",
            role_en="head",
        ),
        PolicyRecord(
            id="twenty-five-policies",
            title="《璧山区鼓励科技创新二十五条政策(试行)》",
            title_en="Bishan's 25 policies to encourage innovation (trial)",
            summary="璧山制定出台的鼓励科技创新政策。",
            summary_en="Policies Bishan drew up to encourage technological innovation.",
            section="reform",
            quotes=("制定出台了《璧山区鼓励科技创新二十五条政策(试行)》",),
            instrument="文件",
            instrument_en="document",
            issuer="璧山区",
            issuer_en="Bishan district",
        ),
        EventRecord(
            id="joint-meeting",
            title="成渝地区双城经济圈建设党政联席会议第一次会议",
            title_en="First joint party-government meeting on the Chengdu-Chongqing economic circle",
            summary="今年3月17日，推动成渝地区双城经济圈建设四川重庆党政联席会议第一次会议顺利召开。",
            summary_en="On 17 March the first Sichuan-Chongqing joint meeting was held.",
            section="lead",
            quotes=(
                "今年3月17日，推动成渝地区双城经济圈建设四川重庆党政联席会议第一次会议顺利召开",
            ),
            date="2020-03-17",
        ),
        EventRecord(
            id="blade-battery-launch",
            title="比亚迪刀片电池在璧山发布",
            title_en="BYD launches the blade battery in Bishan",
            summary="6月5日，比亚迪推出的“黑科技”刀片电池在重庆璧山正式亮相发布。",
            summary_en="BYD's blade battery launched in Bishan on 5 June.",
            section="platforms",
            quotes=("6月5日，比亚迪推出的“黑科技”刀片电池在重庆璧山正式亮相发布。",),
            date="2020-06-05",
            related=("blade-battery",),
        ),
        EventRecord(
            id="sci-tech-meeting",
            title="2020年科技工作会商会议",
            title_en="2020 science and technology consultation meeting",
            summary="璧山与市科技局召开2020年科技工作会商会议。",
            summary_en="Bishan and the municipal science bureau held their 2020 consultation meeting.",
            section="reform",
            quotes=("璧山与市科技局召开2020年科技工作会商会议",),
            date="2020",
        ),
        FigureRecord(
            id="kangjia-experts",
            title="康佳光电技术研究院汇集的行业专家",
            title_en="Industry experts at the Konka institute",
            summary="重庆康佳光电技术研究院已汇集行业专家300余人。",
            summary_en="The Konka institute has gathered over 300 industry experts.",
            section="platforms",
            quotes=("已汇集行业专家 300余人",),
            value=300,
            unit="人",
            unit_en="people",
            qualifier="over",
            as_printed="300余人",
            related=("kangjia-institute",),
        ),
        FigureRecord(
            id="kangjia-patents",
            title="康佳光电技术研究院有效专利提案",
            title_en="Valid patent proposals of the Konka institute",
            summary="完成近600项有效专利提案。",
            summary_en="Nearly 600 valid patent proposals.",
            section="platforms",
            quotes=("完成近 600项有效专利提案",),
            value=600,
            unit="项",
            unit_en="patent proposals",
            qualifier="nearly",
            as_printed="近600项",
            related=("kangjia-institute",),
        ),
        FigureRecord(
            id="incubated-firms",
            title="高新技术产业研究院孵化的新科技企业",
            title_en="New tech firms incubated by the institute",
            summary="成功孵化了平创半导体等10家新科技企业。",
            summary_en="Incubated 10 new tech firms.",
            section="platforms",
            quotes=("成功孵化了平创半导体等10家新科技企业",),
            value=10,
            unit="家",
            unit_en="firms",
            period="今年以来",
            period_en="2020 year to date",
        ),
        FigureRecord(
            id="high-tech-firms",
            title="有效期内高新技术企业",
            title_en="High-tech enterprises with valid certification",
            summary="有效期内高新技术企业预计超过220家。",
            summary_en="High-tech enterprises with valid status are projected to exceed 220.",
            section="reform",
            quotes=("有效期内高新技术企业预计超过220家",),
            value=220,
            unit="家",
            unit_en="firms",
            qualifier="over",
            projected=True,
            as_of="2020-12",
        ),
        FigureRecord(
            id="alliance-firms",
            title="企业科技创新联盟骨干企业",
            title_en="Core firms of the enterprise innovation alliance",
            summary="联合77家骨干企业组建璧山区企业科技创新联盟。",
            summary_en="77 core firms formed the Bishan enterprise innovation alliance.",
            section="open-collaboration",
            quotes=("联合77家骨干企业组建璧山区企业科技创新联盟",),
            value=77,
            unit="家",
            unit_en="firms",
        ),
    )


def make_dataset(records: tuple[Record, ...] = ()) -> Dataset:
    return Dataset(source=SOURCE, sections=SECTIONS, records=records or small_records())


@pytest.fixture
def small_dataset() -> Dataset:
    return make_dataset()


@pytest.fixture
def data_file(tmp_path: Path) -> Path:
    """A small valid dataset file (dataset_files.VALID) in the test's own folder."""
    return write_dataset(tmp_path, VALID)


@pytest.fixture(scope="session")
def bundled() -> Dataset:
    """The bundled article dataset, read once for the whole run (it is frozen)."""
    return load_dataset()


USER_FOLDERS = ("XDG_CACHE_HOME", "XDG_CONFIG_HOME", "XDG_STATE_HOME", "XDG_DATA_HOME")


def _point_user_folders_at(home: Path) -> None:
    for name in USER_FOLDERS:
        os.environ[name] = str(home / name.removeprefix("XDG_").removesuffix("_HOME").lower())
    os.environ["HOME"] = str(home)  # for anything that ignores XDG (~/.cache by hand, shells)
    os.environ.pop("BISHAN_DATA", None)  # the bundled dataset unless a test says otherwise


_SESSION_HOME = pytest.StashKey[Path]()


def pytest_configure(config: pytest.Config) -> None:
    """Before any test module is imported or any module-scoped fixture runs: the
    whole session writes into one temporary home, never the user's."""
    import tempfile

    home = Path(tempfile.mkdtemp(prefix="bishan-tui-test-home-"))
    config.stash[_SESSION_HOME] = home
    _point_user_folders_at(home)


def pytest_unconfigure(config: pytest.Config) -> None:
    import shutil

    home = config.stash.get(_SESSION_HOME, None)
    if home is not None:
        shutil.rmtree(home, ignore_errors=True)


@pytest.fixture(autouse=True)
def isolated_user_folders(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Path]:
    """Every test (and every process it starts: subprocess copies os.environ) gets a
    fresh home with its own cache, config and state folders."""
    home = tmp_path_factory.mktemp("home")
    names = (*USER_FOLDERS, "HOME", "BISHAN_DATA")
    saved = {name: os.environ.get(name) for name in names}
    _point_user_folders_at(home)
    try:
        yield home
    finally:
        for name, value in saved.items():
            if value is None:
                os.environ.pop(name, None)
            else:
                os.environ[name] = value
