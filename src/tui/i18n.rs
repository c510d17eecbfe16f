//! Every UI label in Chinese and English, from one table.

use crate::config::Language;

macro_rules! labels {
    ($($name:ident => $zh:literal, $en:literal;)+) => {
        /// A UI label.
        #[derive(Debug, Clone, Copy, PartialEq, Eq)]
        pub enum L { $($name),+ }
        impl L {
            /// Every label (for the completeness test).
            pub const ALL: &'static [L] = &[$(L::$name),+];
            pub fn text(self, lang: Language) -> &'static str {
                match (self, lang) {
                    $((L::$name, Language::Zh) => $zh, (L::$name, Language::En) => $en,)+
                }
            }
        }
    };
}

labels! {
    AppTitle => "ICP备案初审", "ICP first review";
    Queue => "订单队列", "Queue";
    Subject => "主体", "Subject";
    Sites => "网站/APP", "Sites";
    Materials => "资料", "Materials";
    History => "审核历史", "History";
    Findings => "审核提示", "Findings";
    Id => "订单号", "Order";
    Type => "类型", "Type";
    Province => "省份", "Prov";
    SubjectName => "主办单位", "Subject";
    Age => "时长", "Age";
    Flags => "问题", "Flags";
    Claim => "认领", "Claim";
    Status => "状态", "Status";
    Loading => "加载中…", "loading…";
    Empty => "没有符合条件的订单", "No orders match";
    NoSelection => "未选择订单", "No order selected";
    NoFindings => "未发现问题", "No findings";
    Name => "名称", "Name";
    Nature => "性质", "Nature";
    Certificate => "证件", "Certificate";
    Region => "地域", "Region";
    Address => "通信地址", "Address";
    IcpNumber => "备案号", "ICP no.";
    Leader => "负责人", "Leader";
    IdNumber => "证件号码", "Id number";
    Mobile => "手机", "Mobile";
    Emergency => "应急电话", "Emergency";
    Email => "邮箱", "E-mail";
    Office => "办公电话", "Office";
    ValidTo => "证件有效期", "Id valid to";
    LegalRep => "法定代表人", "Legal rep";
    Yes => "是", "yes";
    No => "否", "no";
    Domains => "域名", "Domains";
    Holder => "持有者", "holder";
    Expires => "到期", "expires";
    Ips => "IP", "IPs";
    Services => "服务类型", "Services";
    Languages => "语言", "Languages";
    Content => "前置审批类别", "Content";
    PreApprovals => "前置审批", "Pre-approvals";
    Access => "接入资源", "Access";
    Prepaid => "包年包月(月)", "prepaid months";
    AppInfo => "APP平台", "App platforms";
    Kind => "类别", "Kind";
    File => "文件", "File";
    Remarks => "备注", "Remarks";
    Previous => "上次驳回的版本", "Rejected version";
    Masked => "（已脱敏，按 v 显示）", "(masked, v reveals)";
    Revealed => "个人信息已显示（已记录）", "Personal data shown (audited)";
    ApproveTitle => "通过初审", "Approve";
    ApproveAsk => "确认通过该订单并提交管局？", "Approve this order and hand it to the bureau?";
    ApproveBlocked => "仍有须驳回的问题，不能直接通过。", "Blocking findings remain: approval is refused.";
    OverrideHint => "按 o 填写理由后强制通过（将记录）", "Press o to override with a note (audited)";
    OverrideTitle => "强制通过理由", "Override note";
    RejectTitle => "驳回", "Reject";
    RejectHint => "空格 选择  e 编辑文字  回车 确认  Esc 取消", "space select  e edit text  Enter confirm  Esc cancel";
    Preview => "申请人将看到", "The applicant will read";
    CallTitle => "预约核实电话", "Schedule a call";
    CallWho => "联系谁", "Whom";
    CallWhen => "时间", "When";
    CallWhy => "原因", "Why";
    CallHint => "Tab 切换  j/k 选择  回车 确认  Esc 取消", "Tab field  j/k choose  Enter confirm  Esc cancel";
    OutsideHours => "不在工作时间（周一至周五 9:00–12:00，13:30–18:00）", "Outside working hours (Mon–Fri 09:00–12:00, 13:30–18:00)";
    PastTime => "预约时间已过", "That time has passed";
    Triage => "驳回分诊", "Triage";
    BadTime => "时间格式应为 2026-11-23 10:00", "Time format: 2026-11-23 10:00";
    Help => "快捷键", "Keys";
    ConfirmYesNo => "y 确认 / N 取消", "y confirm / N cancel";
    Undo => "按 z 撤销", "z undoes";
    Committing => "即将提交", "Committing";
    Approved => "已通过", "Approved";
    Rejected => "已驳回", "Rejected";
    CallScheduled => "已预约电话", "Call scheduled";
    Undone => "已撤销，未提交", "Undone, nothing was sent";
    SearchPrompt => "搜索", "Search";
    CommandPrompt => "命令", "Command";
    UnknownCommand => "未知命令", "Unknown command";
    Filter => "筛选", "Filter";
    Sort => "排序", "Sort";
    All => "全部", "all";
    Reviewer => "审核员", "Reviewer";
    Orders => "单", "orders";
    Open => "待审", "to review";
    Block => "驳回", "block";
    Warn => "待判断", "warn";
    Overdue => "已超时", "overdue";
    NeedsNote => "请填写理由", "A note is required";
    NeedsReason => "请至少选择一个驳回原因", "Choose at least one reason";
    Quit => "退出", "quit";
    Error => "错误", "Error";
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_label_exists_in_both_languages() {
        for l in L::ALL {
            assert!(
                !l.text(Language::Zh).is_empty() && !l.text(Language::En).is_empty(),
                "{l:?}"
            );
        }
    }
}
