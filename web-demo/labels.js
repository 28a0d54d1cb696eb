// Paper-bill labels for the elements of MainExt, ItemExt and Main the
// profile does not name (the report carries them as {name, value}). Names
// not listed here are shown as written.

export const EXTRA_LABELS = {
  MedicalType: "医疗类别",
  PatientNumber: "门诊号",
  OutpatientNumber: "门诊号",
  CaseNumber: "病历号",
  HospitalizationNumber: "住院号",
  InpatientNumber: "住院号",
  MedicalInsuranceType: "医保类型",
  MedicalInsuranceID: "医保编号",
  MedicalInstitutionType: "医疗机构类型",
  FundPayAmount: "统筹支付",
  OwnPayAmount: "个人自付",
  SelfPaymentAmount: "个人自费",
  SelfPayAmount: "个人自费",
  AccountPayAmount: "个人账户支付",
  OwnAcountAmount: "个人账户支付",
  OwnAccountAmount: "个人账户支付",
  OtherfundPaymentAmount: "其他支付",
  OtherPayAmount: "其他支付",
  CashPayAmount: "现金支付",
  Gender: "性别",
  Sex: "性别",
  Age: "年龄",
  InHospitalDate: "入院日期",
  OutHospitalDate: "出院日期",
  HospitalDays: "住院天数",
  Department: "科室",
  StudentNumber: "学号",
  StudentName: "学生姓名",
  Grade: "年级",
  Class: "班级",
  Semester: "学期",
  DonationPurpose: "捐赠用途",
  GoodsDescription: "物资说明",
};

/** The label of an extra field in the page's language. */
export const extraLabel = (name, lang) => (lang === "zh" && EXTRA_LABELS[name]) || name;
