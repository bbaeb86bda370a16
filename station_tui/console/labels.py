"""Chinese labels for the codes the console shows."""

from __future__ import annotations

STATION_STATUS = {
    "active": "正常", "warned": "已警告", "rectifying": "整改中",
    "to_be_terminated": "待清退", "terminated": "已清退",
}
GRADES = {"excellent": "优秀", "good": "良好", "pass": "合格", "fail": "不合格"}
INSPECTION_KIND = {"visit": "日常督查", "public_report": "群众举报（已核实）",
                   "criticism": "领导批评或媒体曝光"}
COMPLAINT_KIND = {"service": "服务不到位（第 9 项）",
                  "damage_loss": "包裹损坏或遗失（第 11 项）"}
OVERRIDE_PART = {"purchase_ledger": "代购台账（第 7 项）",
                 "sale_ledger": "代销台账（第 8 项）",
                 "parcel_handover": "快递交接（第 9 项）"}
PARTNER_STATUS = {"candidate": "候选", "rejected": "未通过", "active": "合作中",
                  "warned": "已警告", "rectifying": "整改中", "terminated": "已终止"}
PARTNER_STEP = {
    "training": "免费培训", "written_test": "笔试", "computer_test": "上机测试",
    "interview": "面试", "signed": "签订协议", "warned": "警告",
    "rectifying": "整改", "reinstated": "恢复合作", "upgraded": "升级",
    "terminated": "终止合作",
}
OUTCOME = {"done": "完成", "pass": "通过", "fail": "未通过"}
TERMINATION_GROUND = {
    "rectification_failed": "整改后仍不合格", "last_place": "连续三个季度交易额末位",
    "bad_credit": "严重不良信用不改正", "agreement": "协商退出",
    "misconduct": "严重违规",
}
DECISION = {"executed": "执行清退", "exempted": "免予清退"}
#: The equipment-return checklist of a termination (RULES §3).
RETURN_CHECKLIST = ("摘除站点标牌", "收回电脑", "收回显示屏", "收回货架",
                    "收回宣传栏", "收回快递柜或扫码设备", "终止合作协议")
ATTENDANCE_MARK = {"present": "出", "leave": "假", "absent": "旷"}


def choices(labels: dict[str, str]) -> list[tuple[str, str]]:
    """(label, code) pairs for a Select."""
    return [(label, code) for code, label in labels.items()]
