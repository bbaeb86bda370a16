"""``station-tui demo``: a realistic county in a server database.

沁水县 (Qinshui, Jincheng, Shanxi), the county of the rules document, with
its fourteen townships: a township station in each and village stations
around them (village names are invented), a year of records with daily,
weekly and seasonal patterns (Spring Festival, 618, harvest, Double 11),
and the center's records: on-site rounds, inspections, trainings,
campaigns, complaints, statistics requests, holidays.

Loading is bulk: rows are built as tuples and written with the driver's
executemany (SQLite) or COPY (PostgreSQL), a month per transaction, into
the center database's own schema (``database.migrate_center``), so that
the demo county can be served as it is.
"""

from __future__ import annotations

import argparse
import csv
import io
import json
import logging
import math
import os
import random
import sqlite3
import sys
import time
from contextlib import nullcontext
from dataclasses import dataclass
from datetime import date, timedelta
from pathlib import Path
from typing import Any, Callable

from peewee import Database, Model, PostgresqlDatabase

from station_tui.assessment.database import (
    as_url,
    default_server_url,
    indexes_deferred,
    migrate_center,
    open_center_db,
    open_server_db,
    redacted,
    sqlite_path,
)
from station_tui.domain import clock
from station_tui.errors import InputError, RuleError, StorageError
from station_tui.records import (
    DailyReport,
    Handover,
    OpenSpell,
    ParcelIn,
    ParcelOut,
    PurchaseOrder,
    Refund,
    RestDay,
    SaleOrder,
    ServiceRecord,
)
from station_tui.records.center import (
    Attendance,
    Campaign,
    CampaignEntry,
    CenterStation,
    Complaint,
    Holiday,
    Inspection,
    OnsiteRound,
    ReportRequest,
    TrainingSession,
)
from station_tui.records.server import ServerSetting

log = logging.getLogger(__name__)

TOWNSHIPS = ("龙港镇", "中村镇", "郑庄镇", "端氏镇", "嘉峰镇", "郑村镇", "柿庄镇",
             "十里乡", "胡底乡", "固县乡", "土沃乡", "张村乡", "苏庄乡", "樊村河乡")
VILLAGE_ROOTS = ("东庄", "西沟", "南坡", "北岭", "河口", "上村", "下村", "石门", "杨家",
                 "李家", "王庄", "柳树", "枣园", "郭壁", "湘峪", "后河", "前岭", "沙坪",
                 "磨滩", "峪口", "松坡", "槐树", "新庄", "马村")
CARRIERS = ("YZ", "ZTO", "YTO", "YD", "JT", "STO", "SF", "JD", "EMS")
PLATFORMS = ("拼多多", "淘宝", "京东", "抖音商城", "快手小店")
GOODS = ("化肥", "农药喷雾器", "种子", "电动车配件", "儿童衣服", "手机壳", "保暖内衣",
         "电饭煲", "老年鞋", "地膜", "饲料", "洗衣液")
PRODUCTS = ("沁水小米", "核桃", "土蜂蜜", "连翘茶", "黑木耳", "红薯粉条", "山楂干",
            "土鸡蛋", "花椒", "柿饼")
TOURS = ("湘峪古堡门票", "柳氏民居门票", "历山景区门票", "农家乐住宿")
SERVICES = (("payment", "phone", 5000), ("payment", "electricity", 12000),
            ("payment", "water", 3000), ("payment", "internet", 10000),
            ("financial", "withdrawal", 50000), ("booking", "train", 15000),
            ("financial", "lottery", 1000))
HOLIDAYS = (("元旦", (1, 1), 1), ("春节", (2, 16), 7), ("清明节", (4, 5), 1),
            ("劳动节", (5, 1), 3), ("端午节", (6, 19), 1), ("中秋节", (9, 25), 1),
            ("国庆节", (10, 1), 7))


@dataclass
class Profile:
    code: str
    activity: float
    diligence: float
    rest_weekday: int
    active_from: date


def _season(day: date) -> float:
    m, d = day.month, day.day
    if m == 11 and 10 <= d <= 20:
        return 1.9
    if m == 6 and 15 <= d <= 20:
        return 1.4
    if m == 1 or (m == 2 and d < 14) or m == 12:
        return 1.25
    if m in (7, 8):
        return 0.85
    return 1.0


def _harvest(day: date) -> float:
    return {9: 2.2, 10: 2.6, 11: 1.8, 12: 1.3, 1: 1.4}.get(day.month, 0.6)


def _poisson(rng: random.Random, lam: float) -> int:
    if lam < 20:
        limit, k, p = math.exp(-lam), 0, rng.random()
        while p > limit:
            k += 1
            p *= rng.random()
        return k
    return max(0, int(rng.gauss(lam, math.sqrt(lam)) + 0.5))


class Loader:
    """Buffers tuples per table and writes them in bulk."""

    def __init__(self, db: Database) -> None:
        self.db = db
        self.pg = isinstance(db, PostgresqlDatabase)
        self.buffers: dict[type[Model], list[tuple]] = {}
        self.columns: dict[type[Model], tuple[list[str], tuple]] = {}
        self.count = 0

    def declare(self, model: type[Model], names: list[str]) -> None:
        fields = model._meta.sorted_fields
        extra = [f for f in fields if not f.null and f.name not in names
                 and not f.primary_key]
        defaults = tuple(f.default() if callable(f.default) else f.default
                         for f in extra)
        columns = [model._meta.fields[n].column_name for n in names]
        self.columns[model] = (columns + [f.column_name for f in extra], defaults)
        self.buffers[model] = []

    def add(self, model: type[Model], row: tuple) -> None:
        self.buffers[model].append(row)

    def flush(self) -> None:
        with self.db.atomic():
            cursor = self.db.cursor()
            for model, rows in self.buffers.items():
                if not rows:
                    continue
                columns, defaults = self.columns[model]
                table = model._meta.table_name
                names = ", ".join(f'"{c}"' for c in columns)
                full = [row + defaults for row in rows]
                if self.pg:
                    _copy(cursor, table, names, full)
                else:
                    marks = ", ".join("?" * len(columns))
                    cursor.executemany(
                        f'INSERT INTO "{table}" ({names}) VALUES ({marks})', full)
                self.count += len(rows)
                rows.clear()


def _copy(cursor: Any, table: str, names: str, rows: list[tuple]) -> None:
    """PostgreSQL's COPY: the bulk path, far faster than INSERT statements."""
    buffer = io.StringIO()
    writer = csv.writer(buffer)
    for row in rows:
        writer.writerow(["\\N" if v is None else v for v in row])
    buffer.seek(0)
    cursor.copy_expert(
        f'COPY "{table}" ({names}) FROM STDIN WITH (FORMAT csv, NULL \'\\N\')',
        buffer)


BASE = ["uuid", "station", "version", "happened_at", "happened_day", "entered_at",
        "updated_at"]
SCHEMA: dict[type[Model], list[str]] = {
    OpenSpell: BASE + ["opened_at", "closed_at", "close_kind"],
    RestDay: BASE + ["declared_at", "kind"],
    DailyReport: BASE + ["submitted_at", "figures"],
    Handover: BASE + ["direction", "carrier", "courier_name", "signer", "signed_at"],
    ParcelIn: BASE + ["tracking_no", "carrier", "shelf_slot", "pickup_code", "status",
                      "notified_at", "notify_method", "picked_up_at", "handover",
                      "damaged_on_arrival"],
    ParcelOut: BASE + ["tracking_no", "carrier", "destination_region", "weight_g",
                       "fee_fen", "status", "handover", "handed_at"],
    PurchaseOrder: BASE + ["villager_complete", "goods", "quantity", "amount_fen",
                           "platform", "platform_order_no", "service_fee_fen", "status",
                           "ordered_at", "ordered_day"],
    SaleOrder: BASE + ["villager_complete", "product", "offer_kind", "quantity",
                       "unit_price_fen", "amount_fen", "channel", "order_no", "status",
                       "ordered_at", "ordered_day"],
    Refund: BASE + ["order_kind", "order", "amount_fen", "reason", "refund_kind"],
    ServiceRecord: BASE + ["category", "kind", "amount_fen", "fee_fen"],
}


class County:
    """Generates one county-year of records into a ``Loader``."""

    def __init__(self, loader: Loader, year: int, stations: int, seed: int) -> None:
        self.load = loader
        self.year = year
        self.rng = random.Random(seed)
        self.n_stations = stations
        self.serial = 0
        self.profiles: list[Profile] = []
        self.holidays: set[date] = set()
        for _, (m, d), n in HOLIDAYS:
            self.holidays.update(date(year, m, d) + timedelta(days=i) for i in range(n))

    def uuid(self, instant: int) -> str:
        """Time-ordered (UUIDv7 layout), so that bulk inserts append."""
        self.serial += 1
        rand = self.rng.getrandbits(62)
        return "%012x7%03x%016x" % (instant * 1000 + self.serial % 1000,
                                    self.serial & 0xFFF, rand | (1 << 63))

    def base(self, code: str, at: int, day: date, entered: int | None = None) -> tuple:
        entered = at if entered is None else entered
        return (self.uuid(at), code, 1, at, day, entered, entered)

    # --- registry -----------------------------------------------------------

    def stations(self) -> list[dict[str, Any]]:
        rows = []
        for n in range(self.n_stations):
            t = n % len(TOWNSHIPS)
            k = n // len(TOWNSHIPS)
            town = TOWNSHIPS[t]
            township = k == 0
            village = town[:-1] if township else (
                VILLAGE_ROOTS[(k * 7 + t) % len(VILLAGE_ROOTS)] + ("村" if k < 25 else
                                                                   f"{k // 24}村"))
            name = f"{town}电商服务站" if township else f"{town}{village}服务站"
            code = f"QS{t + 1:02d}{k:02d}"
            joined = date(self.year - 2, 3, 1)
            if not township and self.rng.random() < 0.03:
                joined = date(self.year, self.rng.choice((3, 5, 8)), 1)
            self.profiles.append(Profile(
                code, self.rng.lognormvariate(0, 0.45),
                min(1.0, max(0.45, self.rng.gauss(0.9, 0.12))),
                6 if self.rng.random() < 0.8 else self.rng.randrange(7), joined))
            rows.append(dict(code=code, name=name, town=town, village=village,
                             level="township" if township else "village",
                             status="active", active_from=joined, created_at=0,
                             created_by="demo"))
        return rows

    # --- one station-day -----------------------------------------------------

    def day(self, p: Profile, day: date) -> None:
        rng, add, code = self.rng, self.load.add, p.code
        start = clock.day_start(day)
        if day in self.holidays:
            return
        if day.weekday() == p.rest_weekday and rng.random() < 0.85:
            add(RestDay, self.base(code, start + 7 * 3600, day) + (start + 7 * 3600,
                                                                   "rest"))
            return
        opened = start + 8 * 3600 + rng.randint(-1800, 1800)
        hours = 8.5 if rng.random() < p.diligence + 0.05 else rng.uniform(5, 7.9)
        closed = opened + int(hours * 3600) + rng.randint(0, 1800)
        add(OpenSpell, self.base(code, opened, day) + (opened, closed, "clock"))

        lam = p.activity * _season(day) * (1.15 if day.weekday() in (0, 1) else 1.0)
        self._parcels_in(p, day, opened, _poisson(rng, 30 * lam))
        self._parcels_out(p, day, opened, _poisson(rng, 5 * lam))
        self._purchases(p, day, opened, _poisson(rng, 1.6 * lam))
        self._sales(p, day, opened, _poisson(rng, 0.3 * p.activity * _harvest(day)))
        for _ in range(_poisson(rng, 6 * p.activity)):
            category, kind, fen = rng.choice(SERVICES)
            at = opened + rng.randint(0, 8 * 3600)
            add(ServiceRecord, self.base(code, at, day) + (
                category, kind, fen * rng.randint(1, 4), 0))

        r = rng.random()
        slip = (1 - p.diligence) * 0.06
        if r >= slip:
            sent = closed + rng.randint(0, 3600)
        elif r < slip * 0.7:
            sent = start + 86_400 + rng.randint(8, 30) * 3600
        elif r < slip * 0.9:
            sent = start + 86_400 * rng.randint(5, 20)
        else:
            return
        add(DailyReport, self.base(code, sent, day) + (sent, "{}"))

    def _parcels_in(self, p: Profile, day: date, opened: int, n: int) -> None:
        rng, code = self.rng, p.code
        if n == 0:
            return
        arrival = opened + rng.randint(3600, 5 * 3600)
        listed = self.base(code, arrival, day) + (
            "in", rng.choice(CARRIERS), "快递员", "站长", arrival)
        self.load.add(Handover, listed)
        for i in range(n):
            at = arrival + i * 7
            late = rng.random() > 0.9 + 0.1 * p.diligence
            notified = at + (rng.randint(25, 40) * 3600 if late else rng.randint(300, 7200))
            on_arrival = rng.random() < 0.001
            status = "damaged" if on_arrival else (
                "lost" if rng.random() < 0.00001 else (
                    "damaged" if rng.random() < 0.00004 else "picked_up"))
            self.load.add(ParcelIn, self.base(code, at, day) + (
                f"YT{at}{i:03d}{code[-4:]}", rng.choice(CARRIERS), f"{i % 20}", f"{i}",
                status, notified, "sms", notified + rng.randint(1800, 40 * 3600),
                listed[0] if rng.random() < 0.92 + 0.08 * p.diligence else None,
                on_arrival))

    def _parcels_out(self, p: Profile, day: date, opened: int, n: int) -> None:
        rng, code = self.rng, p.code
        if n == 0:
            return
        handed = opened + 7 * 3600
        listed = self.base(code, handed, day) + (
            "out", rng.choice(CARRIERS), "快递员", "站长", handed)
        self.load.add(Handover, listed)
        for i in range(n):
            at = opened + rng.randint(0, 6 * 3600)
            late = rng.random() > 0.93 + 0.07 * p.diligence
            self.load.add(ParcelOut, self.base(code, at, day) + (
                f"ZT{at}{i:03d}{code[-4:]}", rng.choice(CARRIERS),
                rng.choice(("山西", "北京", "河南", "广东", "浙江")),
                rng.randint(200, 5000), rng.randint(800, 2500), "handed_over",
                listed[0], handed + (86_400 if late else 0)))

    def _purchases(self, p: Profile, day: date, opened: int, n: int) -> None:
        rng, code = self.rng, p.code
        for _ in range(n):
            at = opened + rng.randint(0, 8 * 3600)
            entered = at + (rng.randint(2, 4) * 86_400 if rng.random() > 0.9 + 0.1 *
                            p.diligence else rng.randint(10, 600))
            status = rng.choices(("picked_up", "cancelled", "returned"), (95, 3, 2))[0]
            amount = rng.randint(10, 400) * 100 + rng.randint(0, 99)
            row = self.base(code, at, day, entered) + (
                rng.random() < 0.85 + 0.15 * p.diligence, rng.choice(GOODS),
                rng.randint(1, 3), amount, rng.choice(PLATFORMS), f"PO{at}",
                rng.choice((0, 0, 200, 500)), status, at + 600, day)
            self.load.add(PurchaseOrder, row)
            if status == "returned" or rng.random() < 0.02:
                back = at + rng.randint(3, 10) * 86_400
                full = status == "returned"
                self.load.add(Refund, self.base(code, back, clock.local_date(back)) + (
                    "purchase", row[0], amount if full else amount // 3,
                    "退货" if full else "部分退款", "return" if full else "refund"))

    def _sales(self, p: Profile, day: date, opened: int, n: int) -> None:
        rng, code = self.rng, p.code
        for _ in range(n):
            at = opened + rng.randint(0, 8 * 3600)
            tour = rng.random() < 0.08
            qty = rng.randint(1, 10)
            price = rng.randint(20, 120) * 100
            self.load.add(SaleOrder, self.base(code, at, day) + (
                rng.random() < 0.8 + 0.2 * p.diligence,
                rng.choice(TOURS if tour else PRODUCTS),
                "tourism" if tour else "product", qty, price, qty * price,
                "o2o" if rng.random() < 0.3 else "platform", f"SO{at}",
                rng.choices(("completed", "cancelled"), (97, 3))[0], at + 900, day))

    # --- the center's records ---------------------------------------------

    def center_records(self) -> dict[type[Model], list[dict[str, Any]]]:
        rng, year = self.rng, self.year
        out: dict[type[Model], list[dict[str, Any]]] = {m: [] for m in (
            Holiday, OnsiteRound, TrainingSession, Attendance, Campaign, CampaignEntry,
            Inspection, Complaint, ReportRequest)}
        stamp = dict(version=1, entered_by="中心管理员", entered_at=clock.day_start(
            date(year, 1, 2)), updated_at=clock.day_start(date(year, 1, 2)))

        def rec(model: type[Model], station: str | None, **fields: Any) -> str:
            key = self.uuid(stamp["entered_at"])
            out[model].append(dict(uuid=key, station=station, **stamp, **fields))
            return key

        for name, (m, d), n in HOLIDAYS:
            for i in range(n):
                rec(Holiday, None, day=date(year, m, d) + timedelta(days=i), name=name)
        parts = {1: (10,), 2: (3, 2), 3: (2, 1, 2), 10: (5, 5), 12: (5,)}
        nothing = {3: True, 12: True}
        for p in self.profiles:
            for month in (6, 11):
                day = date(year, month, rng.randint(3, 25))
                for item, caps in parts.items():
                    values = []
                    for cap in caps:
                        good = rng.random() < p.diligence
                        if nothing.get(item):
                            values.append(cap * 100 if good else 0)
                        else:
                            values.append(cap * 100 if good else rng.randint(
                                cap * 40, cap * 95))
                    values += [0] * (3 - len(values))
                    rec(OnsiteRound, p.code, item=item, day=day, inspector="检查组",
                        part_a=values[0], part_b=values[1], part_c=values[2],
                        equipment_down=False, score=sum(values), note="", photos="")
        for month in (3, 5, 7, 9, 11, 12):
            session = rec(TrainingSession, None, title=f"{month}月电商技能培训",
                          day=date(year, month, 15), has_test=True)
            for p in self.profiles:
                r = rng.random() / p.diligence
                presence = "present" if r < 0.93 else ("leave" if r < 1.0 else "absent")
                rec(Attendance, p.code, session=session, presence=presence,
                    late=presence == "present" and rng.random() < 0.04,
                    left_early=presence == "present" and rng.random() < 0.02,
                    test=None if presence != "present" else (
                        "fail" if rng.random() < 0.06 else "pass"))
        for title, (m1, d1), (m2, d2) in (("年货节", (1, 10), (2, 10)),
                                         ("618 电商节", (6, 1), (6, 18)),
                                         ("中国农民丰收节", (9, 15), (9, 30)),
                                         ("双十一", (11, 1), (11, 11))):
            campaign = rec(Campaign, None, title=title, start_day=date(year, m1, d1),
                           end_day=date(year, m2, d2))
            for p in self.profiles:
                rec(CampaignEntry, p.code, campaign=campaign,
                    took_part=rng.random() < 0.75 + 0.25 * p.diligence)
        for p in self.profiles:
            for _ in range(_poisson(rng, 1.5)):
                poor = rng.random() > p.diligence
                rec(Inspection, p.code, day=date(year, rng.randint(1, 12), 10),
                    kind="visit", inspector="督查组", refused=rng.random() < 0.01,
                    poor_work=poor, note="")
            if rng.random() < 0.15:
                rec(Complaint, p.code, day=date(year, rng.randint(1, 12), 20),
                    kind=rng.choice(("service", "damage_loss")), attributed=True,
                    tracking_no="", note="")
        for q in range(4):
            end = date(year, q * 3 + 3, 28) + timedelta(days=5)
            rec(ReportRequest, None, title=f"第{q + 1}季度农产品上行统计",
                description="", deadline_at=clock.day_end(end))
        return out


#: ServerSetting key written last: a demo county that is complete.
MARKER = "demo_county"

Progress = Callable[[str], None]


def build(db: Database, *, year: int, stations: int, seed: int,
          progress: Progress | None = None) -> dict[str, Any]:
    """Fill an empty database with a demo county; returns what it did.

    On PostgreSQL the whole load is one transaction, so an interrupted run
    leaves the database as it was; a SQLite file is built aside by ``run``.
    """
    started = time.perf_counter()
    migrate_center(db)
    if CenterStation.select().exists():
        raise RuleError(_occupied(db))
    pg = isinstance(db, PostgresqlDatabase)
    with db.atomic() if pg else nullcontext():
        loaded = _load(db, year, stations, seed, progress or (lambda _: None))
        rows = loaded.pop("rows")
        ServerSetting.insert(key=MARKER, value=json.dumps(
            {"year": year, "stations": stations, "seed": seed})).execute()
    db.execute_sql("ANALYZE")
    return {"rows": rows, **loaded,
            "total_seconds": time.perf_counter() - started}


def _load(db: Database, year: int, stations: int, seed: int,
          progress: Progress) -> dict[str, Any]:
    started = time.perf_counter()
    loader = Loader(db)
    for model, names in SCHEMA.items():
        loader.declare(model, names)
    county = County(loader, year, stations, seed)
    with db.atomic():
        CenterStation.insert_many(county.stations()).execute()
    # Rows first, indexes after: several times faster than keeping them.
    with indexes_deferred(db, SCHEMA):
        day = date(year, 1, 1)
        while day.year == year:
            for p in county.profiles:
                if day >= p.active_from:
                    county.day(p, day)
            day += timedelta(days=1)
            if day.day == 1:
                loader.flush()
                month = 12 if day.year > year else day.month - 1
                progress(f"{year}-{month:02d} 已写入，共 {loader.count:,} 条记录"
                         f"（{month * 100 // 12}%）")
                log.info("demo: %s loaded, %d rows", day, loader.count)
        loader.flush()
        loaded = time.perf_counter() - started
        progress("正在建立索引…")
    center = county.center_records()
    with db.atomic():
        for model, rows in center.items():
            for i in range(0, len(rows), 500):
                model.insert_many(rows[i:i + 500]).execute()
    return {"rows": loader.count + sum(len(r) for r in center.values()),
            "load_seconds": loaded}


def _occupied(db: Database) -> str:
    """Why a database with stations takes no demo, and how to empty it."""
    if isinstance(db, PostgresqlDatabase):
        clear = (f'psql "{redacted(_pg_url(db))}" -c "DROP SCHEMA public CASCADE; '
                 'CREATE SCHEMA public;"')
    else:
        clear = f"删除文件 {db.database}"
    marker = ServerSetting.get_or_none(ServerSetting.key == MARKER)
    if marker is not None:
        done = json.loads(marker.value)
        return (f"数据库里已经有一个完整的演示县（{done['year']} 年，"
                f"{done['stations']} 个站点）；要重新生成，先清空它：{clear}")
    return ("数据库里已经有站点，演示数据只写入空数据库；如果这是上次中断的演示"
            f"数据，先清空它：{clear}；否则请换一个 --db")


def _pg_url(db: Database) -> str:
    params = db.connect_params
    user = params.get("user", "")
    host = params.get("host", "127.0.0.1")
    port = f":{params['port']}" if params.get("port") else ""
    return f"postgresql://{user}{'@' if user else ''}{host}{port}/{db.database}"


def run(args: argparse.Namespace) -> int:
    if args.stations < 1 or not 2000 <= args.year <= 2100:
        raise InputError("--stations 至少为 1，--year 应在 2000–2100 之间",
                         field="stations")
    url = as_url(args.db or default_server_url())
    path = sqlite_path(url)
    started = time.perf_counter()
    if path is None:
        db = open_center_db(url)
        try:
            done = _run_build(db, args)
        finally:
            db.close_all()
    else:
        done = _run_sqlite(path, args)
    print(f"演示县已生成：{args.stations} 个站点，{done['rows']:,} 条记录，"
          f"写入 {done['load_seconds']:.1f} 秒，共 {time.perf_counter() - started:.1f} 秒",
          file=sys.stderr)
    return 0


def _run_build(db: Database, args: argparse.Namespace) -> dict[str, Any]:
    return build(db, year=args.year, stations=args.stations, seed=args.seed,
                 progress=lambda text: print(text, file=sys.stderr, flush=True))


def _run_sqlite(path: Path, args: argparse.Namespace) -> dict[str, Any]:
    """Build into ``<file>.building`` beside the target and rename it into
    place when complete: an interrupted run leaves nothing under the real
    name, and its leftover is removed here or on the next run."""
    aside = path.with_name(f"{path.name}.building")
    if any(f.exists() for f in _sqlite_files(aside)):
        print(f"删除上次中断留下的未完成文件 {aside}", file=sys.stderr)
        _remove(aside)
    if path.exists():
        current = open_center_db(f"sqlite:///{path}")
        try:
            if CenterStation.select().exists():
                raise RuleError(_occupied(current))
            # Keep what the empty center already holds (accounts, settings).
            with current.connection_context():
                source = current.connection()
                target = sqlite3.connect(aside)
                source.backup(target)
                target.close()
        finally:
            current.close_all()
    db = open_server_db(f"sqlite:///{aside}")
    try:
        # A throwaway file until renamed: a large cache and no fsync per commit.
        db.execute_sql("PRAGMA cache_size=-1000000")
        db.execute_sql("PRAGMA synchronous=OFF")
        done = _run_build(db, args)
        db.close_all()
        if Path(f"{path}-wal").exists():
            raise StorageError(f"“{path}”正被其他程序（例如 serve）使用，请先停止它")
        os.replace(aside, path)
    except BaseException:
        db.close_all()
        _remove(aside)
        print(f"演示数据没有生成完，未完成的文件已删除；“{path}”保持原样",
              file=sys.stderr)
        raise
    return done


def _sqlite_files(path: Path) -> list[Path]:
    return [path, Path(f"{path}-wal"), Path(f"{path}-shm"), Path(f"{path}-journal")]


def _remove(path: Path) -> None:
    for f in _sqlite_files(path):
        f.unlink(missing_ok=True)
