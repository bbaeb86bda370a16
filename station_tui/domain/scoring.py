"""The parts of the on-site items (RULES §3): names, caps, and which are
all or nothing. Shared by record entry (validation) and the engine."""

from __future__ import annotations

#: item → tuple of (part name, cap in points, all-or-nothing)
ONSITE_PARTS: dict[int, tuple[tuple[str, int, bool], ...]] = {
    1: (("设施设备完好、正常运行", 10, False),),
    2: (("电脑、显示屏、招牌、宣传栏等公共设施干净整洁", 3, False),
        ("线下陈列商品及快递包裹摆放整齐", 2, False)),
    3: (("宣传电子商务进农村政策、商品营销活动", 2, True),
        ("宣传党和政府政策、政务信息", 1, True),
        ("协助中心做好电商创业宣传、组织、指导", 2, True)),
    10: (("配备老花镜、尺子、雨伞等便民设施", 5, False),
         ("提供缴费充值、金融服务等便民服务", 5, False)),
    12: (("功能分区完善，快递物流区、产品展示区、收银区明确，按区整齐堆放", 5, True),),
}

ONSITE_ITEMS: tuple[int, ...] = tuple(ONSITE_PARTS)
