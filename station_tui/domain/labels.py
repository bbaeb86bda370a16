"""Chinese labels for the short codes stored in records (UI, messages, exports)."""

from __future__ import annotations

from station_tui.domain.carriers import CARRIERS

#: Monday first, as date.weekday() counts: 周一 … 周日.
WEEKDAYS = "一二三四五六日"

PARCEL_IN_STATUS = {
    "waiting": "待取件", "picked_up": "已取件", "damaged": "破损",
    "lost": "丢失", "refused": "拒收", "returned": "已退回",
}
PARCEL_OUT_STATUS = {
    "accepted": "已收寄", "handed_over": "已交接", "returned": "已退回",
    "damaged": "破损", "lost": "丢失",
}
PURCHASE_STATUS = {
    "registered": "登记", "ordered": "已下单", "arrived": "已到货",
    "picked_up": "已取货", "cancelled": "已取消", "returned": "已退货",
}
SALE_STATUS = {
    "registered": "登记", "ordered": "已下单", "shipped": "已发货",
    "completed": "已完成", "cancelled": "已取消", "returned": "已退货",
}
NOTIFY_METHOD = {"call": "电话", "sms": "短信", "wechat": "微信"}
PICKED_BY = {"self": "本人", "proxy": "代取"}
SALE_CHANNEL = {"platform": "电商平台", "o2o": "县O2O展示展销中心"}
OFFER_KIND = {"product": "农产品", "tourism": "旅游资源"}
SERVICE_CATEGORY = {"payment": "缴费充值", "booking": "票务酒店", "financial": "金融服务"}
SERVICE_KIND = {
    "water": "水费", "electricity": "电费", "internet": "网费", "phone": "话费充值",
    "train": "火车票", "air": "机票", "hotel": "酒店预订",
    "loan_referral": "小额贷款推荐", "withdrawal": "助农取款", "lottery": "福利彩票",
}
SERVICE_KINDS_BY_CATEGORY = {
    "payment": ("water", "electricity", "internet", "phone"),
    "booking": ("train", "air", "hotel"),
    "financial": ("loan_referral", "withdrawal", "lottery"),
}
CARRIER_NAMES = CARRIERS
REPORT_TIMELINESS = {
    "on_time": "按时", "late": "迟报", "missed": "漏报", "pending": "待提交",
    "overdue": "逾期未报", "not_due": "无需上报",
}
REST_KIND = {"rest": "休息日", "holiday": "节假日"}
