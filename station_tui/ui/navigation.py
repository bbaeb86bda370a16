"""The station app's top-level screens: key, mode name, title, class.

The app builds its modes, footer bindings and command-palette entries from
this one table; screen modules are imported only when first shown.
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class NavEntry:
    key: str
    mode: str
    title: str
    help: str
    target: str  # "module:Class"


NAVIGATION: tuple[NavEntry, ...] = (
    NavEntry("f1", "today", "今日", "今日营业概况、待取件、日报状态",
             "station_tui.ui.screens.today_screen:TodayScreen"),
    NavEntry("f2", "opening", "营业", "开门、关门、申报休息日",
             "station_tui.ui.screens.opening_screen:OpeningScreen"),
    NavEntry("f3", "parcels_in", "收件", "快递代收：扫码入库、通知、取件",
             "station_tui.ui.screens.parcels_in_screen:ParcelsInScreen"),
    NavEntry("f4", "parcels_out", "寄件", "快递代寄与交接清单",
             "station_tui.ui.screens.parcels_out_screen:ParcelsOutScreen"),
    NavEntry("f5", "purchases", "代购", "网络代购订单",
             "station_tui.ui.screens.purchases_screen:PurchasesScreen"),
    NavEntry("f6", "sales", "代销", "农产品与旅游资源代销",
             "station_tui.ui.screens.sales_screen:SalesScreen"),
    NavEntry("f7", "services", "便民", "缴费充值、票务酒店、金融服务",
             "station_tui.ui.screens.services_screen:ServicesScreen"),
    NavEntry("f8", "report", "日报", "每日报表：汇总、提交、更正",
             "station_tui.ui.screens.report_screen:ReportScreen"),
    NavEntry("f9", "ledger", "台账", "全部台账查询与导出",
             "station_tui.ui.screens.ledger_screen:LedgerScreen"),
    NavEntry("f10", "villagers", "村民", "常用村民与个人信息删除",
             "station_tui.ui.screens.villagers_screen:VillagersScreen"),
    NavEntry("f11", "requests", "中心", "统计报送、中心通知、被退回的记录",
             "station_tui.ui.screens.requests_screen:RequestsScreen"),
    NavEntry("ctrl+k", "preview", "考核", "本站考核预览：假如本期今天结束",
             "station_tui.ui.screens.preview_screen:PreviewScreen"),
)
